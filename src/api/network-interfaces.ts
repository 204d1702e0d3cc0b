// CreateNetworkInterface, DescribeNetworkInterfaces, AttachNetworkInterface, DetachNetworkInterface,
// DeleteNetworkInterface, ModifyNetworkInterfaceAttribute, DescribeNetworkInterfaceAttribute,
// AssignPrivateIpAddresses, UnassignPrivateIpAddresses.
import type {
  AssignPrivateIpAddressesRequest,
  AssignPrivateIpAddressesResult,
  AttachNetworkInterfaceRequest,
  AttachNetworkInterfaceResult,
  CreateNetworkInterfaceRequest,
  CreateNetworkInterfaceResult,
  DeleteNetworkInterfaceRequest,
  DescribeNetworkInterfaceAttributeRequest,
  DescribeNetworkInterfaceAttributeResult,
  DescribeNetworkInterfacesRequest,
  DescribeNetworkInterfacesResult,
  DetachNetworkInterfaceRequest,
  ModifyNetworkInterfaceAttributeRequest,
  NetworkInterface as NetworkInterfaceShape,
  NetworkInterfaceAssociation,
  UnassignPrivateIpAddressesRequest,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { InterfaceView } from "../domain/filters/network-interfaces.js";
import type { Address, NetworkInterfaceAttachment } from "../domain/network.js";
import { privateDnsName, publicDnsName } from "../domain/network.js";
import { paginate } from "../domain/pagination.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { NetworkInterfaceService } from "../services/network-interfaces.js";

export function networkInterfaceOperations(interfaces: NetworkInterfaceService): OperationTable {
  return {
    CreateNetworkInterface: operation<CreateNetworkInterfaceRequest, CreateNetworkInterfaceResult>({
      validate(input) {
        refuseUnmodelled(input, [
          "Ipv6Addresses",
          "Ipv6AddressCount",
          "Ipv4Prefixes",
          "Ipv4PrefixCount",
          "Ipv6Prefixes",
          "Ipv6PrefixCount",
          "EnablePrimaryIpv6",
        ]);
        tagsFromSpecifications(input.TagSpecifications, "network-interface");
      },
      async handle(input, caller) {
        const view = await interfaces.create(caller, {
          subnetId: input.SubnetId!,
          groupIds: input.Groups,
          privateIpAddress: input.PrivateIpAddress,
          privateIpAddresses: input.PrivateIpAddresses?.map((spec) => ({ address: spec.PrivateIpAddress ?? "", primary: spec.Primary === true })),
          secondaryCount: input.SecondaryPrivateIpAddressCount,
          interfaceType: input.InterfaceType,
          description: input.Description,
          tags: tagsFromSpecifications(input.TagSpecifications, "network-interface"),
        });
        return { NetworkInterface: interfaceShape(view), ClientToken: input.ClientToken };
      },
    }),

    DescribeNetworkInterfaces: operation<DescribeNetworkInterfacesRequest, DescribeNetworkInterfacesResult>({
      validate(input) {
        if (input.NetworkInterfaceIds?.length && input.MaxResults !== undefined) {
          throw Errors.invalidParameterCombination("The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
        }
      },
      async handle(input, caller) {
        const found = await interfaces.describe(caller, input.NetworkInterfaceIds, input.Filters);
        const page = paginate(found, (view) => view.eni.networkInterfaceId, input, Number.MAX_SAFE_INTEGER);
        return { NetworkInterfaces: page.items.map(interfaceShape), NextToken: page.nextToken };
      },
    }),

    AttachNetworkInterface: operation<AttachNetworkInterfaceRequest, AttachNetworkInterfaceResult>({
      validate(input) {
        if (input.DeviceIndex! < 0) throw Errors.valueTooSmall("DeviceIndex", input.DeviceIndex!, -1);
        if ((input.NetworkCardIndex ?? 0) < 0) throw Errors.valueTooSmall("NetworkCardIndex", input.NetworkCardIndex!, -1);
      },
      async handle(input, caller) {
        const attachment = await interfaces.attach(caller, {
          networkInterfaceId: input.NetworkInterfaceId!,
          instanceId: input.InstanceId!,
          deviceIndex: input.DeviceIndex!,
          networkCardIndex: input.NetworkCardIndex,
        });
        return { AttachmentId: attachment.attachmentId, NetworkCardIndex: attachment.networkCardIndex };
      },
    }),

    DetachNetworkInterface: operation<DetachNetworkInterfaceRequest, Record<string, never>>({
      async handle(input, caller) {
        await interfaces.detach(caller, input.AttachmentId!);
        return {};
      },
    }),

    DeleteNetworkInterface: operation<DeleteNetworkInterfaceRequest, Record<string, never>>({
      async handle(input, caller) {
        await interfaces.delete(caller, input.NetworkInterfaceId!);
        return {};
      },
    }),

    ModifyNetworkInterfaceAttribute: operation<ModifyNetworkInterfaceAttributeRequest, Record<string, never>>({
      validate(input) {
        refuseUnmodelled(input, [
          "EnaSrdSpecification",
          "EnablePrimaryIpv6",
          "ConnectionTrackingSpecification",
          "AssociatePublicIpAddress",
          "AssociatedSubnetIds",
        ]);
        if (input.Attachment && (input.Attachment.AttachmentId === undefined || input.Attachment.DeleteOnTermination === undefined)) {
          throw Errors.missingParameter(input.Attachment.AttachmentId === undefined ? "Attachment.AttachmentId" : "Attachment.DeleteOnTermination");
        }
      },
      async handle(input, caller) {
        await interfaces.modify(caller, input.NetworkInterfaceId!, {
          description: input.Description ? (input.Description.Value ?? "") : undefined,
          sourceDestCheck: input.SourceDestCheck ? input.SourceDestCheck.Value === true : undefined,
          groupIds: input.Groups,
          attachment: input.Attachment
            ? { attachmentId: input.Attachment.AttachmentId!, deleteOnTermination: input.Attachment.DeleteOnTermination! }
            : undefined,
        });
        return {};
      },
    }),

    DescribeNetworkInterfaceAttribute: operation<DescribeNetworkInterfaceAttributeRequest, DescribeNetworkInterfaceAttributeResult>({
      validate(input) {
        if (!input.Attribute) throw Errors.missingParameter("Attribute");
      },
      async handle(input, caller) {
        const view = await interfaces.get(caller, input.NetworkInterfaceId!);
        const { eni } = view;
        const result: DescribeNetworkInterfaceAttributeResult = { NetworkInterfaceId: eni.networkInterfaceId };
        if (input.Attribute === "description") result.Description = { Value: eni.description };
        if (input.Attribute === "sourceDestCheck") result.SourceDestCheck = { Value: eni.sourceDestCheck };
        if (input.Attribute === "groupSet") result.Groups = view.groups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName }));
        if (input.Attribute === "attachment" && eni.attachment) result.Attachment = attachmentShape(eni.attachment, eni.accountId);
        // A public address of either kind: an Elastic IP, or the one the instance's launch gave its primary interface.
        if (input.Attribute === "associatePublicIpAddress") result.AssociatePublicIpAddress = view.addresses.length > 0 || view.autoPublicIp !== undefined;
        return result;
      },
    }),

    AssignPrivateIpAddresses: operation<AssignPrivateIpAddressesRequest, AssignPrivateIpAddressesResult>({
      validate(input) {
        refuseUnmodelled(input, ["Ipv4Prefixes", "Ipv4PrefixCount"]);
        if (input.PrivateIpAddresses?.length && input.SecondaryPrivateIpAddressCount !== undefined) {
          throw Errors.invalidParameterCombination("The parameter PrivateIpAddresses cannot be used with the parameter SecondaryPrivateIpAddressCount");
        }
        if (input.SecondaryPrivateIpAddressCount !== undefined && input.SecondaryPrivateIpAddressCount < 1) {
          throw Errors.valueTooSmall("SecondaryPrivateIpAddressCount", input.SecondaryPrivateIpAddressCount, 0);
        }
      },
      async handle(input, caller) {
        const assigned = await interfaces.assign(caller, input.NetworkInterfaceId!, {
          addresses: input.PrivateIpAddresses,
          count: input.SecondaryPrivateIpAddressCount,
          allowReassignment: input.AllowReassignment,
        });
        return { NetworkInterfaceId: input.NetworkInterfaceId, AssignedPrivateIpAddresses: assigned.map((ip) => ({ PrivateIpAddress: ip })) };
      },
    }),

    UnassignPrivateIpAddresses: operation<UnassignPrivateIpAddressesRequest, Record<string, never>>({
      validate(input) {
        refuseUnmodelled(input, ["Ipv4Prefixes"]);
        if (!input.PrivateIpAddresses?.length) throw Errors.missingParameter("PrivateIpAddress.N");
      },
      async handle(input, caller) {
        await interfaces.unassign(caller, input.NetworkInterfaceId!, input.PrivateIpAddresses!);
        return {};
      },
    }),
  };
}

/** IPv6 and prefix delegation are not modelled: refused by name rather than ignored. */
function refuseUnmodelled(input: object, members: readonly string[]): void {
  const given = members.filter((member) => (input as Record<string, unknown>)[member] !== undefined);
  if (given.length > 0) {
    throw Errors.invalidParameterValue(
      `mini-ec2 models IPv4 addresses only and does not take ${given.join(", ")}. Leave ${given.length > 1 ? "them" : "it"} out.`,
    );
  }
}

function attachmentShape(attachment: NetworkInterfaceAttachment, ownerId: string) {
  return {
    AttachmentId: attachment.attachmentId,
    AttachTime: attachment.attachedAt,
    DeleteOnTermination: attachment.deleteOnTermination,
    DeviceIndex: attachment.deviceIndex,
    NetworkCardIndex: attachment.networkCardIndex,
    InstanceId: attachment.instanceId,
    InstanceOwnerId: ownerId,
    Status: "attached" as const,
  };
}

function associationShape(address: Address, region: string): NetworkInterfaceAssociation {
  return {
    AllocationId: address.allocationId,
    AssociationId: address.associationId,
    IpOwnerId: address.accountId,
    PublicIp: address.publicIp,
    PublicDnsName: publicDnsName(region, address.publicIp),
  };
}

export function interfaceShape(view: InterfaceView): NetworkInterfaceShape {
  const { eni, region } = view;
  const primary = eni.privateIps.find((ip) => ip.primary);
  const associationOf = (ip: string): NetworkInterfaceAssociation | undefined => {
    const address = view.addresses.find((candidate) => candidate.privateIpAddress === ip);
    if (address) return associationShape(address, region);
    // The launch's public address, on the primary address only: EC2 shows Amazon as its owner.
    if (view.autoPublicIp && ip === primary?.privateIpAddress) {
      return { IpOwnerId: "amazon", PublicIp: view.autoPublicIp, PublicDnsName: publicDnsName(region, view.autoPublicIp) };
    }
    return undefined;
  };
  return {
    Association: primary ? associationOf(primary.privateIpAddress) : undefined,
    Attachment: eni.attachment ? attachmentShape(eni.attachment, eni.accountId) : undefined,
    AvailabilityZone: eni.availabilityZone,
    Description: eni.description,
    Groups: view.groups.map((group) => ({ GroupId: group.groupId, GroupName: group.groupName })),
    InterfaceType: eni.interfaceType as NetworkInterfaceShape["InterfaceType"],
    Ipv6Addresses: [],
    MacAddress: eni.macAddress,
    NetworkInterfaceId: eni.networkInterfaceId,
    OwnerId: eni.accountId,
    PrivateDnsName: primary ? privateDnsName(region, primary.privateIpAddress) : undefined,
    PrivateIpAddress: primary?.privateIpAddress,
    PrivateIpAddresses: eni.privateIps.map((ip) => ({
      Association: associationOf(ip.privateIpAddress),
      Primary: ip.primary,
      PrivateDnsName: privateDnsName(region, ip.privateIpAddress),
      PrivateIpAddress: ip.privateIpAddress,
    })),
    RequesterId: undefined,
    RequesterManaged: false,
    SourceDestCheck: eni.sourceDestCheck,
    Status: eni.attachment ? "in-use" : "available",
    SubnetId: eni.subnetId,
    TagSet: eni.tags,
    VpcId: eni.vpcId,
  };
}
