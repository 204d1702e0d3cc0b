// DescribeSecurityGroups' and DescribeSecurityGroupRules' filter names, read from a group with its rules, or a rule.
import type { FilterField, FilterSpec } from "../filters.js";
import type { SecurityGroup, SecurityGroupRule } from "../network.js";
import type { Tag } from "../tags.js";

/** A rule as the filters and the responses read it: with its peer group's name and its tags. */
export interface RuleView extends SecurityGroupRule {
  referencedGroupName?: string;
  tags: Tag[];
}

export interface SecurityGroupView extends SecurityGroup {
  rules: RuleView[];
}

const defined = (values: ReadonlyArray<string | number | undefined>): string[] => values.filter((v) => v !== undefined).map(String);

/** ip-permission.* (ingress) or egress.ip-permission.*: each reads every rule of that direction. */
function permissionFields(prefix: string, isEgress: boolean): Record<string, FilterField<SecurityGroupView>> {
  const rules = (group: SecurityGroupView) => group.rules.filter((rule) => rule.isEgress === isEgress);
  return {
    [`${prefix}cidr`]: (g) => defined(rules(g).map((r) => r.cidrIpv4)),
    [`${prefix}ipv6-cidr`]: (g) => defined(rules(g).map((r) => r.cidrIpv6)),
    [`${prefix}prefix-list-id`]: (g) => defined(rules(g).map((r) => r.prefixListId)),
    [`${prefix}from-port`]: (g) => defined(rules(g).map((r) => r.fromPort)),
    [`${prefix}to-port`]: (g) => defined(rules(g).map((r) => r.toPort)),
    [`${prefix}protocol`]: (g) => rules(g).map((r) => r.ipProtocol),
    [`${prefix}group-id`]: (g) => defined(rules(g).map((r) => r.referencedGroupId)),
    [`${prefix}group-name`]: (g) => defined(rules(g).map((r) => r.referencedGroupName)),
    [`${prefix}user-id`]: (g) => defined(rules(g).map((r) => (r.referencedGroupId ? r.accountId : undefined))),
  };
}

export const securityGroupFilters: FilterSpec<SecurityGroupView> = {
  fields: {
    description: (g) => g.description,
    "group-id": (g) => g.groupId,
    "group-name": (g) => g.groupName,
    "owner-id": (g) => g.accountId,
    "vpc-id": (g) => g.vpcId,
    ...permissionFields("ip-permission.", false),
    ...permissionFields("egress.ip-permission.", true),
  },
  tags: (g) => g.tags,
};

export const securityGroupRuleFilters: FilterSpec<RuleView> = {
  fields: {
    "group-id": (r) => r.groupId,
    "security-group-rule-id": (r) => r.ruleId,
  },
  tags: (r) => r.tags,
};
