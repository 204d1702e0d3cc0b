// DescribeVpcs' filter names, read from a VPC (EC2's list, IPv4 only: mini-ec2 keeps no IPv6 blocks).
import { type FilterSpec, noneModelled } from "../filters.js";
import type { Vpc } from "../network.js";
import { cidrBlockAssociationId, type DhcpOptions, dhcpOptionsIdFor } from "../vpc-rules.js";

export const vpcFilters: FilterSpec<Vpc> = {
  fields: {
    cidr: (v) => v.cidrBlock,
    "cidr-block-association.cidr-block": (v) => v.cidrBlock,
    "cidr-block-association.association-id": (v) => cidrBlockAssociationId(v.vpcId),
    "cidr-block-association.state": () => "associated",
    "dhcp-options-id": (v) => dhcpOptionsIdFor(v),
    "is-default": (v) => v.isDefault,
    // The name the API reference used before is-default; scripts and blog posts still filter on it, and EC2 takes it.
    isDefault: (v) => v.isDefault,
    "owner-id": (v) => v.accountId,
    state: () => "available",
    "vpc-id": (v) => v.vpcId,
    // A VPC here has no IPv6 block.
    "ipv6-cidr-block-association.ipv6-cidr-block": noneModelled,
    "ipv6-cidr-block-association.ipv6-pool": noneModelled,
    "ipv6-cidr-block-association.association-id": noneModelled,
    "ipv6-cidr-block-association.state": noneModelled,
  },
  tags: (v) => v.tags,
};

/** DescribeDhcpOptions' filter names (EC2's list). */
export const dhcpOptionsFilters: FilterSpec<DhcpOptions> = {
  fields: {
    "dhcp-options-id": (d) => d.dhcpOptionsId,
    key: (d) => d.configurations.map((c) => c.key),
    value: (d) => d.configurations.flatMap((c) => c.values),
    "owner-id": (d) => d.accountId,
  },
  tags: (d) => d.tags,
};
