// DescribeSubnets' filter names, read from a subnet and what DescribeSubnets derives for it (EC2's list, IPv4 only;
// EC2's older camel-case aliases included).
import { type FilterSpec, noneModelled } from "../filters.js";
import type { Subnet } from "../network.js";
import { subnetArn } from "../vpc-rules.js";

/** A subnet as DescribeSubnets shows it: with its zone's id and its free addresses. */
export interface SubnetView {
  subnet: Subnet;
  availabilityZoneId: string;
  availableIpAddressCount: number;
}

export const subnetFilters: FilterSpec<SubnetView> = {
  fields: {
    "availability-zone": (s) => s.subnet.availabilityZone,
    availabilityZone: (s) => s.subnet.availabilityZone,
    "availability-zone-id": (s) => s.availabilityZoneId,
    "available-ip-address-count": (s) => s.availableIpAddressCount,
    availableIpAddressCount: (s) => s.availableIpAddressCount,
    "cidr-block": (s) => s.subnet.cidrBlock,
    cidr: (s) => s.subnet.cidrBlock,
    cidrBlock: (s) => s.subnet.cidrBlock,
    "default-for-az": (s) => s.subnet.defaultForAz,
    defaultForAz: (s) => s.subnet.defaultForAz,
    "map-public-ip-on-launch": (s) => s.subnet.mapPublicIpOnLaunch,
    "owner-id": (s) => s.subnet.accountId,
    state: () => "available",
    "subnet-arn": (s) => subnetArn(s.subnet),
    "subnet-id": (s) => s.subnet.subnetId,
    "vpc-id": (s) => s.subnet.vpcId,
    // What DescribeSubnets shows of the members mini-ec2 does not model: off, none, or EC2's default.
    "customer-owned-ipv4-pool": noneModelled,
    "enable-dns64": () => false,
    "enable-lni-at-device-index": noneModelled,
    "ipv6-cidr-block-association.ipv6-cidr-block": noneModelled,
    "ipv6-cidr-block-association.association-id": noneModelled,
    "ipv6-cidr-block-association.state": noneModelled,
    "ipv6-native": () => false,
    "map-customer-owned-ip-on-launch": () => false,
    "outpost-arn": noneModelled,
    "private-dns-name-options-on-launch.hostname-type": () => "ip-name",
    "private-dns-name-options-on-launch.enable-resource-name-dns-a-record": () => false,
    "private-dns-name-options-on-launch.enable-resource-name-dns-aaaa-record": () => false,
  },
  tags: (s) => s.subnet.tags,
};
