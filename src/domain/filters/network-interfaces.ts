// DescribeNetworkInterfaces' and DescribeAddresses' filter names, read from an interface (with its groups' names
// and its Elastic IPs) or an address (with the instance its interface is attached to).
import { type FilterSpec, noneModelled } from "../filters.js";
import { type Address, type NetworkInterface, privateDnsName } from "../network.js";

/** An interface as Describe shows it: its groups with their names, and the Elastic IPs associated with it. */
export interface InterfaceView {
  eni: NetworkInterface;
  region: string;
  groups: ReadonlyArray<{ groupId: string; groupName: string }>;
  addresses: readonly Address[];
  /** The public address EC2 gave the instance's primary interface at launch (no Elastic IP on it); owner "amazon". */
  autoPublicIp?: string;
}

const primaryIp = (view: InterfaceView) => view.eni.privateIps.find((ip) => ip.primary)?.privateIpAddress;

export const networkInterfaceFilters: FilterSpec<InterfaceView> = {
  fields: {
    "network-interface-id": (v) => v.eni.networkInterfaceId,
    "subnet-id": (v) => v.eni.subnetId,
    "vpc-id": (v) => v.eni.vpcId,
    "availability-zone": (v) => v.eni.availabilityZone,
    description: (v) => v.eni.description,
    status: (v) => (v.eni.attachment ? "in-use" : "available"),
    "interface-type": (v) => v.eni.interfaceType,
    "mac-address": (v) => v.eni.macAddress,
    "owner-id": (v) => v.eni.accountId,
    "requester-managed": () => false,
    // No interface here is an AWS service's, and none has an IPv6 address.
    "requester-id": noneModelled,
    "ipv6-addresses.ipv6-address": noneModelled,
    "source-dest-check": (v) => v.eni.sourceDestCheck,
    "private-ip-address": (v) => primaryIp(v),
    "private-dns-name": (v) => {
      const ip = primaryIp(v);
      return ip ? privateDnsName(v.region, ip) : undefined;
    },
    "addresses.private-ip-address": (v) => v.eni.privateIps.map((ip) => ip.privateIpAddress),
    "addresses.primary": (v) => v.eni.privateIps.map((ip) => String(ip.primary)),
    "group-id": (v) => v.groups.map((group) => group.groupId),
    "group-name": (v) => v.groups.map((group) => group.groupName),
    "attachment.instance-id": (v) => v.eni.attachment?.instanceId,
    "attachment.instance-owner-id": (v) => (v.eni.attachment ? v.eni.accountId : undefined),
    "attachment.attachment-id": (v) => v.eni.attachment?.attachmentId,
    "attachment.device-index": (v) => v.eni.attachment?.deviceIndex,
    "attachment.network-card-index": (v) => v.eni.attachment?.networkCardIndex,
    "attachment.status": (v) => (v.eni.attachment ? "attached" : undefined),
    "attachment.delete-on-termination": (v) => v.eni.attachment?.deleteOnTermination,
    "association.public-ip": (v) => [...v.addresses.map((address) => address.publicIp), ...(v.autoPublicIp ? [v.autoPublicIp] : [])],
    "association.allocation-id": (v) => v.addresses.map((address) => address.allocationId),
    "association.association-id": (v) => v.addresses.flatMap((address) => (address.associationId ? [address.associationId] : [])),
    "association.ip-owner-id": (v) => [...v.addresses.map((address) => address.accountId), ...(v.autoPublicIp ? ["amazon"] : [])],
  },
  tags: (v) => v.eni.tags,
};

/** An Elastic IP as DescribeAddresses shows it: the instance is its interface's, when attached. */
export interface AddressView {
  address: Address;
  instanceId?: string;
  subnetId?: string;
}

export const addressFilters: FilterSpec<AddressView> = {
  fields: {
    "allocation-id": (v) => v.address.allocationId,
    "association-id": (v) => v.address.associationId,
    domain: (v) => v.address.domain,
    "instance-id": (v) => v.instanceId,
    "network-interface-id": (v) => v.address.networkInterfaceId,
    "network-interface-owner-id": (v) => (v.address.networkInterfaceId ? v.address.accountId : undefined),
    "private-ip-address": (v) => v.address.privateIpAddress,
    "public-ip": (v) => v.address.publicIp,
    "network-border-group": (v) => v.address.region,
    "public-ipv4-pool": () => "amazon",
  },
  tags: (v) => v.address.tags,
};
