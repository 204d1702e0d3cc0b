// CreateSubnet, DescribeSubnets, DeleteSubnet, ModifySubnetAttribute.
import type {
  CreateSubnetRequest,
  CreateSubnetResult,
  DeleteSubnetRequest,
  DescribeSubnetsRequest,
  DescribeSubnetsResult,
  ModifySubnetAttributeRequest,
  Subnet as SubnetShape,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { SubnetView } from "../domain/filters/subnets.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { subnetArn } from "../domain/vpc-rules.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { SubnetService } from "../services/subnets.js";

/** CreateSubnet's members for IPv6, IPAM and Outposts, each refused by name: a subnet here has one IPv4 block. */
const unmodelledCreateSubnetMembers = [
  "Ipv6CidrBlock",
  "OutpostArn",
  "Ipv6Native",
  "Ipv4IpamPoolId",
  "Ipv4NetmaskLength",
  "Ipv6IpamPoolId",
  "Ipv6NetmaskLength",
] as const;

/** ModifySubnetAttribute's members beside MapPublicIpOnLaunch: IPv6, customer-owned pools, DNS64, hostnames, LNI. */
const unmodelledSubnetAttributes = [
  "AssignIpv6AddressOnCreation",
  "MapCustomerOwnedIpOnLaunch",
  "CustomerOwnedIpv4Pool",
  "EnableDns64",
  "PrivateDnsHostnameTypeOnLaunch",
  "EnableResourceNameDnsARecordOnLaunch",
  "EnableResourceNameDnsAAAARecordOnLaunch",
  "EnableLniAtDeviceIndex",
  "DisableLniAtDeviceIndex",
] as const;

function checkCreateSubnet(input: CreateSubnetRequest): void {
  for (const member of unmodelledCreateSubnetMembers) {
    if (input[member] !== undefined) throw Errors.unsupportedParameter("CreateSubnet", member, "mini-ec2 models IPv4 subnets given as CidrBlock only");
  }
  if (!input.CidrBlock) throw Errors.missingParameter("CidrBlock");
  tagsFromSpecifications(input.TagSpecifications, "subnet");
}

function mapPublicIpOf(input: ModifySubnetAttributeRequest): boolean {
  for (const member of unmodelledSubnetAttributes) {
    if (input[member] !== undefined) throw Errors.unsupportedParameter("ModifySubnetAttribute", member, "only MapPublicIpOnLaunch is modelled");
  }
  const value = input.MapPublicIpOnLaunch?.Value;
  if (value === undefined) throw Errors.subnetAttributeMissing();
  return value;
}

export function subnetOperations(subnets: SubnetService): OperationTable {
  return {
    CreateSubnet: operation<CreateSubnetRequest, CreateSubnetResult>({
      validate: checkCreateSubnet,
      async handle(input, caller) {
        checkCreateSubnet(input);
        const view = await subnets.create(caller, {
          vpcId: input.VpcId!,
          cidrBlock: input.CidrBlock!,
          ...(input.AvailabilityZone !== undefined ? { availabilityZone: input.AvailabilityZone } : {}),
          ...(input.AvailabilityZoneId !== undefined ? { availabilityZoneId: input.AvailabilityZoneId } : {}),
          tags: tagsFromSpecifications(input.TagSpecifications, "subnet"),
        });
        return { Subnet: subnetShape(view) };
      },
    }),

    DescribeSubnets: operation<DescribeSubnetsRequest, DescribeSubnetsResult>({
      async handle(input, caller) {
        const page = await subnets.describe(caller, { ids: input.SubnetIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken });
        return { Subnets: page.items.map(subnetShape), NextToken: page.nextToken };
      },
    }),

    DeleteSubnet: operation<DeleteSubnetRequest, object>({
      async handle(input, caller) {
        await subnets.delete(caller, input.SubnetId!);
        return {};
      },
    }),

    ModifySubnetAttribute: operation<ModifySubnetAttributeRequest, object>({
      validate: (input) => void mapPublicIpOf(input),
      async handle(input, caller) {
        await subnets.setMapPublicIpOnLaunch(caller, input.SubnetId!, mapPublicIpOf(input));
        return {};
      },
    }),
  };
}

function subnetShape({ subnet, availabilityZoneId, availableIpAddressCount }: SubnetView): SubnetShape {
  return {
    SubnetId: subnet.subnetId,
    SubnetArn: subnetArn(subnet),
    VpcId: subnet.vpcId,
    OwnerId: subnet.accountId,
    State: "available",
    CidrBlock: subnet.cidrBlock,
    AvailabilityZone: subnet.availabilityZone,
    AvailabilityZoneId: availabilityZoneId,
    AvailableIpAddressCount: availableIpAddressCount,
    DefaultForAz: subnet.defaultForAz,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: subnet.tags.length > 0 ? subnet.tags : undefined,
  };
}
