// What DescribeInstances and RunInstances show of an instance's network: its VPC, subnet, addresses and DNS names,
// its security groups and its interfaces, as EC2 shows them. The public address is derived (domain/instance-network.ts).
import type { Instance as InstanceInfo, InstanceNetworkInterface } from "@aws-sdk/client-ec2";
import { type InstanceInterface, publicIpOf } from "../domain/instance-network.js";
import { type Instance, type InstanceStateName, primaryInterfaceOf } from "../domain/instances.js";
import { privateDnsName, publicDnsName } from "../domain/network.js";

type NetworkFields = Pick<
  InstanceInfo,
  | "VpcId"
  | "SubnetId"
  | "PrivateIpAddress"
  | "PrivateDnsName"
  | "PublicIpAddress"
  | "PublicDnsName"
  | "SecurityGroups"
  | "SourceDestCheck"
  | "NetworkInterfaces"
>;

/**
 * `state` is the state shown; RunInstances' answer (pending, launched) shows no public address yet, as EC2's does.
 * The fields are set on `into` (DescribeInstances' instance), not returned to be spread: a hundred instances a page,
 * and a spread in the middle of an object literal copies through the runtime.
 */
export function networkInfo(instance: Instance, state: InstanceStateName, launched: boolean, into: NetworkFields = {}): NetworkFields {
  if (state === "terminated") {
    into.PrivateDnsName = "";
    into.PublicDnsName = "";
    into.SecurityGroups = [];
    into.NetworkInterfaces = [];
    return into;
  }
  const interfaces = instance.interfaces ?? [];
  const primary = primaryInterfaceOf(instance);
  const lifecycle = { associatePublicIp: instance.options.publicIpOnLaunch ?? false, state, stateChangedAt: instance.stateChangedAt };
  const publicOf = (eni: InstanceInterface) => (launched && !eni.elasticIp ? undefined : publicIpOf(eni, lifecycle));
  const publicIp = primary ? publicOf(primary) : undefined;
  // Each name once: the instance's are its primary interface's, which shows them again.
  const names: DnsNames = {
    privateIp: instance.privateIpAddress,
    privateDns: privateDnsName(instance.region, instance.privateIpAddress),
    publicDns: publicIp ? publicDnsName(instance.region, publicIp) : "",
  };
  if (instance.vpcId) {
    into.VpcId = instance.vpcId;
    into.SubnetId = instance.subnetId;
  }
  into.PrivateIpAddress = instance.privateIpAddress;
  into.PrivateDnsName = names.privateDns;
  if (publicIp) into.PublicIpAddress = publicIp;
  into.PublicDnsName = names.publicDns;
  into.SecurityGroups = (primary?.groups ?? []).map((g) => ({ GroupId: g.groupId, GroupName: g.groupName }));
  into.SourceDestCheck = primary?.sourceDestCheck ?? instance.options.sourceDestCheck;
  into.NetworkInterfaces = interfaces.map((eni) =>
    eni === primary ? interfaceInfo(instance, eni, publicIp, names) : interfaceInfo(instance, eni, publicOf(eni)),
  );
  return into;
}

/** The primary interface's names, worked out once for the instance. */
interface DnsNames {
  privateIp: string;
  privateDns: string;
  publicDns: string;
}

/** Built field by field (a hundred a page): each DNS name once, no spreads of small objects. */
function interfaceInfo(instance: Instance, eni: InstanceInterface, publicIp: string | undefined, names?: DnsNames): InstanceNetworkInterface {
  const association = publicIp
    ? {
        IpOwnerId: eni.elasticIp ? instance.accountId : "amazon",
        PublicDnsName: names?.publicDns || publicDnsName(instance.region, publicIp),
        PublicIp: publicIp,
      }
    : undefined;
  const info: InstanceNetworkInterface = {};
  if (association) info.Association = association;
  if (eni.attachment) {
    info.Attachment = {
      AttachTime: eni.attachment.attachedAt,
      AttachmentId: eni.attachment.attachmentId,
      DeleteOnTermination: eni.attachment.deleteOnTermination,
      DeviceIndex: eni.attachment.deviceIndex,
      NetworkCardIndex: eni.attachment.networkCardIndex,
      Status: "attached",
    };
  }
  info.Description = eni.description;
  info.Groups = eni.groups.map((g) => ({ GroupId: g.groupId, GroupName: g.groupName }));
  info.Ipv6Addresses = [];
  info.MacAddress = eni.macAddress;
  info.NetworkInterfaceId = eni.networkInterfaceId;
  info.OwnerId = instance.accountId;
  const addresses = eni.privateIps.map((ip) => {
    const address: NonNullable<InstanceNetworkInterface["PrivateIpAddresses"]>[number] = {};
    if (ip.primary && association) address.Association = association;
    address.Primary = ip.primary;
    address.PrivateDnsName = names && ip.privateIpAddress === names.privateIp ? names.privateDns : privateDnsName(instance.region, ip.privateIpAddress);
    address.PrivateIpAddress = ip.privateIpAddress;
    return address;
  });
  const primaryIp = addresses[0];
  if (primaryIp) {
    info.PrivateDnsName = primaryIp.PrivateDnsName;
    info.PrivateIpAddress = primaryIp.PrivateIpAddress;
  }
  info.PrivateIpAddresses = addresses;
  info.SourceDestCheck = eni.sourceDestCheck;
  info.Status = "in-use";
  info.SubnetId = eni.subnetId;
  info.VpcId = eni.vpcId;
  info.InterfaceType = eni.interfaceType;
  return info;
}
