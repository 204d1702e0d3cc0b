// CreateVpc, DescribeVpcs, DeleteVpc, ModifyVpcAttribute, DescribeVpcAttribute, CreateDefaultVpc,
// DescribeAccountAttributes and DescribeDhcpOptions.
import type {
  CreateDefaultVpcRequest,
  CreateDefaultVpcResult,
  CreateVpcRequest,
  CreateVpcResult,
  DeleteVpcRequest,
  DescribeAccountAttributesRequest,
  DescribeDhcpOptionsRequest,
  DescribeDhcpOptionsResult,
  DescribeAccountAttributesResult,
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  ModifyVpcAttributeRequest,
  Vpc as VpcShape,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { Vpc } from "../domain/network.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { cidrBlockAssociationId, dhcpOptionsIdFor } from "../domain/vpc-rules.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { VpcDnsAttribute, VpcService } from "../services/vpcs.js";

/** CreateVpc's members for IPv6 and IPAM pools: mini-ec2 keeps one IPv4 block per VPC, so each is refused by name. */
const unmodelledCreateVpcMembers = [
  "Ipv6Pool",
  "Ipv6CidrBlock",
  "Ipv4IpamPoolId",
  "Ipv4NetmaskLength",
  "Ipv6IpamPoolId",
  "Ipv6NetmaskLength",
  "Ipv6CidrBlockNetworkBorderGroup",
  "VpcEncryptionControl",
] as const;

function checkCreateVpc(input: CreateVpcRequest): Vpc["instanceTenancy"] {
  if (input.AmazonProvidedIpv6CidrBlock === true) {
    throw Errors.unsupportedParameter("CreateVpc", "AmazonProvidedIpv6CidrBlock", "mini-ec2 models IPv4 only; a VPC has one IPv4 block");
  }
  for (const member of unmodelledCreateVpcMembers) {
    if (input[member] !== undefined) throw Errors.unsupportedParameter("CreateVpc", member, "mini-ec2 models IPv4 blocks given as CidrBlock only");
  }
  if (!input.CidrBlock) throw Errors.missingParameter("CidrBlock");
  const tenancy = input.InstanceTenancy ?? "default";
  if (tenancy !== "default" && tenancy !== "dedicated") throw Errors.vpcTenancyInvalid(tenancy);
  tagsFromSpecifications(input.TagSpecifications, "vpc");
  return tenancy;
}

/** The one DNS attribute a ModifyVpcAttribute call sets: EC2 takes one attribute per call. */
function dnsAttributeOf(input: ModifyVpcAttributeRequest): { attribute: VpcDnsAttribute; value: boolean } {
  if (input.EnableNetworkAddressUsageMetrics !== undefined) {
    throw Errors.unsupportedParameter("ModifyVpcAttribute", "EnableNetworkAddressUsageMetrics", "network address usage metrics are not modelled");
  }
  const named: Array<{ attribute: VpcDnsAttribute; value: boolean | undefined }> = [];
  if (input.EnableDnsSupport !== undefined) named.push({ attribute: "enableDnsSupport", value: input.EnableDnsSupport.Value });
  if (input.EnableDnsHostnames !== undefined) named.push({ attribute: "enableDnsHostnames", value: input.EnableDnsHostnames.Value });
  if (named.length !== 1) throw Errors.vpcAttributeCount(named.map((n) => n.attribute));
  const { attribute, value } = named[0]!;
  if (value === undefined) throw Errors.missingParameter(`${attribute === "enableDnsSupport" ? "EnableDnsSupport" : "EnableDnsHostnames"}.Value`);
  return { attribute, value };
}

export function vpcOperations(vpcs: VpcService): OperationTable {
  return {
    CreateVpc: operation<CreateVpcRequest, CreateVpcResult>({
      validate: (input) => void checkCreateVpc(input),
      async handle(input, caller) {
        const instanceTenancy = checkCreateVpc(input);
        const vpc = await vpcs.create(caller, { cidrBlock: input.CidrBlock!, instanceTenancy, tags: tagsFromSpecifications(input.TagSpecifications, "vpc") });
        // A new VPC is "pending" for a moment in EC2; here it is ready at once, so it is shown available.
        return { Vpc: vpcShape(vpc) };
      },
    }),

    DescribeVpcs: operation<DescribeVpcsRequest, DescribeVpcsResult>({
      async handle(input, caller) {
        const page = await vpcs.describe(caller, { ids: input.VpcIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken });
        return { Vpcs: page.items.map(vpcShape), NextToken: page.nextToken };
      },
    }),

    DescribeDhcpOptions: operation<DescribeDhcpOptionsRequest, DescribeDhcpOptionsResult>({
      async handle(input, caller) {
        const query = { ids: input.DhcpOptionsIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken };
        const page = await vpcs.dhcpOptions(caller, query);
        return {
          DhcpOptions: page.items.map((set) => ({
            DhcpOptionsId: set.dhcpOptionsId,
            OwnerId: set.accountId,
            DhcpConfigurations: set.configurations.map(({ key, values }) => ({ Key: key, Values: values.map((value) => ({ Value: value })) })),
            Tags: set.tags,
          })),
          NextToken: page.nextToken,
        };
      },
    }),

    DeleteVpc: operation<DeleteVpcRequest, object>({
      async handle(input, caller) {
        await vpcs.delete(caller, input.VpcId!);
        return {};
      },
    }),

    ModifyVpcAttribute: operation<ModifyVpcAttributeRequest, object>({
      validate: (input) => void dnsAttributeOf(input),
      async handle(input, caller) {
        const { attribute, value } = dnsAttributeOf(input);
        await vpcs.modifyAttribute(caller, input.VpcId!, attribute, value);
        return {};
      },
    }),

    DescribeVpcAttribute: operation<DescribeVpcAttributeRequest, DescribeVpcAttributeResult>({
      async handle(input, caller) {
        const vpc = await vpcs.attribute(caller, input.VpcId!);
        switch (input.Attribute) {
          case "enableDnsSupport":
            return { VpcId: vpc.vpcId, EnableDnsSupport: { Value: vpc.enableDnsSupport } };
          case "enableDnsHostnames":
            return { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: vpc.enableDnsHostnames } };
          default:
            // Network address usage metrics cannot be turned on here (ModifyVpcAttribute refuses them): always off.
            return { VpcId: vpc.vpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
        }
      },
    }),

    CreateDefaultVpc: operation<CreateDefaultVpcRequest, CreateDefaultVpcResult>({
      async handle(_input, caller) {
        return { Vpc: vpcShape(await vpcs.createDefault(caller)) };
      },
    }),

    DescribeAccountAttributes: operation<DescribeAccountAttributesRequest, DescribeAccountAttributesResult>({
      async handle(input, caller) {
        const attributes = await vpcs.accountAttributes(caller, input.AttributeNames);
        return {
          AccountAttributes: attributes.map((a) => ({ AttributeName: a.name, AttributeValues: a.values.map((value) => ({ AttributeValue: value })) })),
        };
      },
    }),
  };
}

function vpcShape(vpc: Vpc): VpcShape {
  return {
    VpcId: vpc.vpcId,
    OwnerId: vpc.accountId,
    State: "available",
    CidrBlock: vpc.cidrBlock,
    CidrBlockAssociationSet: [{ AssociationId: cidrBlockAssociationId(vpc.vpcId), CidrBlock: vpc.cidrBlock, CidrBlockState: { State: "associated" } }],
    DhcpOptionsId: dhcpOptionsIdFor(vpc),
    InstanceTenancy: vpc.instanceTenancy,
    IsDefault: vpc.isDefault,
    Tags: vpc.tags.length > 0 ? vpc.tags : undefined,
  };
}
