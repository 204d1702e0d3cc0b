// AllocateAddress, DescribeAddresses, AssociateAddress, DisassociateAddress, ReleaseAddress: Elastic IPs.
import type {
  AllocateAddressRequest,
  AllocateAddressResult,
  AssociateAddressRequest,
  AssociateAddressResult,
  Address as AddressShape,
  DescribeAddressesAttributeRequest,
  DescribeAddressesAttributeResult,
  DescribeAddressesRequest,
  DescribeAddressesResult,
  DisassociateAddressRequest,
  ReleaseAddressRequest,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { AddressView } from "../domain/filters/network-interfaces.js";
import { publicDnsName } from "../domain/network.js";
import { definedOnly } from "../domain/objects.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { AddressService } from "../services/addresses.js";

/** Elastic IPs come from Amazon's pool in the caller's region: the pool and the border group EC2 names. */
const amazonPool = "amazon";

export function addressOperations(addresses: AddressService): OperationTable {
  return {
    AllocateAddress: operation<AllocateAddressRequest, AllocateAddressResult>({
      validate(input, caller) {
        for (const member of ["Address", "PublicIpv4Pool", "CustomerOwnedIpv4Pool", "IpamPoolId"] as const) {
          if (input[member] !== undefined && !(member === "PublicIpv4Pool" && input[member] === amazonPool)) {
            throw Errors.invalidParameterValue(`mini-ec2 allocates Elastic IPs from Amazon's pool only and does not take ${member}. Leave it out.`);
          }
        }
        if (input.NetworkBorderGroup !== undefined && input.NetworkBorderGroup !== caller.region) {
          throw Errors.invalidParameterValue(
            `Network border group '${input.NetworkBorderGroup}' is invalid in ${caller.region}. Use '${caller.region}' or leave it out.`,
          );
        }
        tagsFromSpecifications(input.TagSpecifications, "elastic-ip");
      },
      async handle(input, caller) {
        const address = await addresses.allocate(caller, { domain: input.Domain, tags: tagsFromSpecifications(input.TagSpecifications, "elastic-ip") });
        return {
          AllocationId: address.allocationId,
          PublicIp: address.publicIp,
          Domain: address.domain,
          PublicIpv4Pool: amazonPool,
          NetworkBorderGroup: address.region,
        };
      },
    }),

    DescribeAddresses: operation<DescribeAddressesRequest, DescribeAddressesResult>({
      async handle(input, caller) {
        const found = await addresses.describe(caller, { publicIps: input.PublicIps, allocationIds: input.AllocationIds, filters: input.Filters });
        return { Addresses: found.map(addressShape) };
      },
    }),

    // Terraform's aws_eip reads its ptr_record here after every create and refresh.
    DescribeAddressesAttribute: operation<DescribeAddressesAttributeRequest, DescribeAddressesAttributeResult>({
      async handle(input, caller) {
        const { items, nextToken } = await addresses.attributes(caller, {
          allocationIds: input.AllocationIds,
          maxResults: input.MaxResults,
          nextToken: input.NextToken,
        });
        return {
          // EC2 writes the PTR record as a fully qualified name, with its final dot.
          Addresses: items.map((address) => ({
            AllocationId: address.allocationId,
            PublicIp: address.publicIp,
            PtrRecord: `${publicDnsName(address.region, address.publicIp)}.`,
          })),
          ...definedOnly({ NextToken: nextToken }),
        };
      },
    }),

    AssociateAddress: operation<AssociateAddressRequest, AssociateAddressResult>({
      validate(input) {
        if (!input.AllocationId && !input.PublicIp) throw Errors.missingParameter("AllocationId");
      },
      async handle(input, caller) {
        const associationId = await addresses.associate(caller, {
          allocationId: input.AllocationId,
          publicIp: input.AllocationId ? undefined : input.PublicIp,
          instanceId: input.InstanceId,
          networkInterfaceId: input.NetworkInterfaceId,
          privateIpAddress: input.PrivateIpAddress,
          allowReassociation: input.AllowReassociation,
        });
        return { AssociationId: associationId };
      },
    }),

    DisassociateAddress: operation<DisassociateAddressRequest, Record<string, never>>({
      validate(input) {
        if (!input.AssociationId && !input.PublicIp) throw Errors.missingParameter("AssociationId");
      },
      async handle(input, caller) {
        await addresses.disassociate(caller, { associationId: input.AssociationId, publicIp: input.PublicIp });
        return {};
      },
    }),

    ReleaseAddress: operation<ReleaseAddressRequest, Record<string, never>>({
      validate(input, caller) {
        if (!input.AllocationId && !input.PublicIp) throw Errors.missingParameter("AllocationId");
        if (input.NetworkBorderGroup !== undefined && input.NetworkBorderGroup !== caller.region) {
          throw Errors.invalidParameterValue(
            `Network border group '${input.NetworkBorderGroup}' is invalid in ${caller.region}. Use '${caller.region}' or leave it out.`,
          );
        }
      },
      async handle(input, caller) {
        await addresses.release(caller, { allocationId: input.AllocationId, publicIp: input.AllocationId ? undefined : input.PublicIp });
        return {};
      },
    }),
  };
}

function addressShape(view: AddressView): AddressShape {
  const { address } = view;
  return {
    AllocationId: address.allocationId,
    AssociationId: address.associationId,
    Domain: address.domain,
    InstanceId: view.instanceId,
    NetworkInterfaceId: address.networkInterfaceId,
    NetworkInterfaceOwnerId: address.networkInterfaceId ? address.accountId : undefined,
    PrivateIpAddress: address.privateIpAddress,
    PublicIp: address.publicIp,
    PublicIpv4Pool: amazonPool,
    NetworkBorderGroup: address.region,
    SubnetId: view.subnetId,
    Tags: address.tags,
  };
}
