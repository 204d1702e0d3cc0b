// DescribeNetworkAcls' filter names, read from an ACL and the subnets associated with it.
import type { FilterSpec } from "../filters.js";
import type { NetworkAcl } from "../network.js";
import { aclAssociationId } from "../vpc-rules.js";

/** An ACL as DescribeNetworkAcls shows it: with the subnets it is associated with. */
export interface NetworkAclView {
  acl: NetworkAcl;
  subnetIds: string[];
}

export const networkAclFilters: FilterSpec<NetworkAclView> = {
  fields: {
    "association.association-id": (v) => v.subnetIds.map(aclAssociationId),
    "association.network-acl-id": (v) => (v.subnetIds.length > 0 ? v.acl.networkAclId : undefined),
    "association.subnet-id": (v) => v.subnetIds,
    default: (v) => v.acl.isDefault,
    "entry.cidr": (v) => v.acl.entries.map((e) => e.cidrBlock),
    "entry.egress": (v) => v.acl.entries.map((e) => String(e.egress)),
    "entry.protocol": (v) => v.acl.entries.map((e) => e.protocol),
    "entry.rule-action": (v) => v.acl.entries.map((e) => e.ruleAction),
    "entry.rule-number": (v) => v.acl.entries.map((e) => String(e.ruleNumber)),
    "network-acl-id": (v) => v.acl.networkAclId,
    "owner-id": (v) => v.acl.accountId,
    "vpc-id": (v) => v.acl.vpcId,
  },
  tags: (v) => v.acl.tags,
};
