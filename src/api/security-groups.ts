// CreateSecurityGroup, DescribeSecurityGroups, DeleteSecurityGroup, Authorize/RevokeSecurityGroupIngress/Egress,
// DescribeSecurityGroupRules, ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptionsIngress/Egress.
import type {
  AuthorizeSecurityGroupEgressRequest,
  AuthorizeSecurityGroupEgressResult,
  AuthorizeSecurityGroupIngressRequest,
  AuthorizeSecurityGroupIngressResult,
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DeleteSecurityGroupRequest,
  DeleteSecurityGroupResult,
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  IpPermission,
  ModifySecurityGroupRulesRequest,
  ModifySecurityGroupRulesResult,
  RevokedSecurityGroupRule,
  RevokeSecurityGroupEgressRequest,
  RevokeSecurityGroupEgressResult,
  RevokeSecurityGroupIngressRequest,
  RevokeSecurityGroupIngressResult,
  SecurityGroup as SecurityGroupWire,
  SecurityGroupRule as SecurityGroupRuleWire,
  UpdateSecurityGroupRuleDescriptionsEgressRequest,
  UpdateSecurityGroupRuleDescriptionsEgressResult,
  UpdateSecurityGroupRuleDescriptionsIngressRequest,
  UpdateSecurityGroupRuleDescriptionsIngressResult,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { RuleView, SecurityGroupView } from "../domain/filters/security-groups.js";
import type { SecurityGroupRule } from "../domain/network.js";
import {
  type PermissionInput,
  rulesOfPermissions,
  securityGroupArn,
  securityGroupRuleArn,
  validateGroupDescription,
  validateGroupName,
} from "../domain/security-groups.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { Direction, SecurityGroupService, UnknownRule } from "../services/security-groups.js";

export function securityGroupOperations(groups: SecurityGroupService): OperationTable {
  return {
    CreateSecurityGroup: operation<CreateSecurityGroupRequest, CreateSecurityGroupResult>({
      validate(input) {
        validateGroupName(input.GroupName!);
        validateGroupDescription(input.Description!);
        tagsFromSpecifications(input.TagSpecifications, "security-group");
      },
      async handle(input, caller) {
        const tags = tagsFromSpecifications(input.TagSpecifications, "security-group");
        const group = await groups.create(caller, { groupName: input.GroupName!, description: input.Description!, vpcId: input.VpcId, tags });
        return { GroupId: group.groupId, Tags: group.tags, SecurityGroupArn: securityGroupArn(group.region, group.accountId, group.groupId) };
      },
    }),

    DescribeSecurityGroups: operation<DescribeSecurityGroupsRequest, DescribeSecurityGroupsResult>({
      async handle(input, caller) {
        const page = await groups.describe(caller, { ...input, groupIds: input.GroupIds, groupNames: input.GroupNames, filters: input.Filters });
        return { SecurityGroups: page.items.map(securityGroupWire), NextToken: page.nextToken };
      },
    }),

    DeleteSecurityGroup: operation<DeleteSecurityGroupRequest, DeleteSecurityGroupResult>({
      async handle(input, caller) {
        const groupId = await groups.delete(caller, { groupId: input.GroupId, groupName: input.GroupName });
        return { Return: true, GroupId: groupId };
      },
    }),

    AuthorizeSecurityGroupIngress: authorize<AuthorizeSecurityGroupIngressRequest, AuthorizeSecurityGroupIngressResult>(groups, "ingress"),
    AuthorizeSecurityGroupEgress: authorize<AuthorizeSecurityGroupEgressRequest, AuthorizeSecurityGroupEgressResult>(groups, "egress"),
    RevokeSecurityGroupIngress: revoke<RevokeSecurityGroupIngressRequest, RevokeSecurityGroupIngressResult>(groups, "ingress"),
    RevokeSecurityGroupEgress: revoke<RevokeSecurityGroupEgressRequest, RevokeSecurityGroupEgressResult>(groups, "egress"),

    DescribeSecurityGroupRules: operation<DescribeSecurityGroupRulesRequest, DescribeSecurityGroupRulesResult>({
      async handle(input, caller) {
        const page = await groups.describeRules(caller, { ...input, ruleIds: input.SecurityGroupRuleIds, filters: input.Filters });
        return { SecurityGroupRules: page.items.map(ruleWire), NextToken: page.nextToken };
      },
    }),

    ModifySecurityGroupRules: operation<ModifySecurityGroupRulesRequest, ModifySecurityGroupRulesResult>({
      async handle(input, caller) {
        const updates = input.SecurityGroupRules!.map((update) => {
          if (!update.SecurityGroupRuleId) throw Errors.missingParameter("SecurityGroupRule.N.SecurityGroupRuleId");
          const rule = update.SecurityGroupRule;
          if (!rule) throw Errors.missingParameter("SecurityGroupRule.N.SecurityGroupRule");
          const peers = [rule.CidrIpv4, rule.CidrIpv6, rule.PrefixListId, rule.ReferencedGroupId].filter((peer) => peer !== undefined).length;
          if (peers !== 1) throw Errors.invalidParameterCombination("Each rule needs exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.");
          const description = rule.Description !== undefined ? { Description: rule.Description } : {};
          const permission: PermissionInput = {
            IpProtocol: rule.IpProtocol,
            FromPort: rule.FromPort,
            ToPort: rule.ToPort,
            IpRanges: rule.CidrIpv4 !== undefined ? [{ CidrIp: rule.CidrIpv4, ...description }] : [],
            Ipv6Ranges: rule.CidrIpv6 !== undefined ? [{ CidrIpv6: rule.CidrIpv6, ...description }] : [],
            PrefixListIds: rule.PrefixListId !== undefined ? [{ PrefixListId: rule.PrefixListId, ...description }] : [],
            UserIdGroupPairs: rule.ReferencedGroupId !== undefined ? [{ GroupId: rule.ReferencedGroupId, ...description }] : [],
          };
          return { ruleId: update.SecurityGroupRuleId, permission };
        });
        await groups.modifyRules(caller, input.GroupId!, updates);
        return { Return: true };
      },
    }),

    UpdateSecurityGroupRuleDescriptionsIngress: updateDescriptions<
      UpdateSecurityGroupRuleDescriptionsIngressRequest,
      UpdateSecurityGroupRuleDescriptionsIngressResult
    >(groups, "ingress"),
    UpdateSecurityGroupRuleDescriptionsEgress: updateDescriptions<
      UpdateSecurityGroupRuleDescriptionsEgressRequest,
      UpdateSecurityGroupRuleDescriptionsEgressResult
    >(groups, "egress"),
  };
}

/** The members both directions' Authorize and Revoke requests share (Ingress alone takes GroupName). */
interface RuleRequest {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermission[];
  CidrIp?: string;
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

const legacyMembers = ["CidrIp", "IpProtocol", "FromPort", "ToPort", "SourceSecurityGroupName", "SourceSecurityGroupOwnerId"] as const;

/**
 * The permissions a request names: IpPermissions, or (ingress only, as EC2) the older top-level form, a CIDR or
 * a source group by name with one protocol and port range.
 */
function permissionsOf(input: RuleRequest, direction: Direction): PermissionInput[] {
  const legacy = legacyMembers.find((member) => input[member] !== undefined);
  if (legacy === undefined) return input.IpPermissions ?? [];
  if (direction === "egress") throw Errors.legacyEgressParameter(legacy);
  if ((input.IpPermissions ?? []).length > 0) {
    throw Errors.invalidParameterCombination(`The parameter ${legacy} cannot be used with IpPermissions: name every rule in IpPermissions.`);
  }
  const ports = { IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort };
  if (input.SourceSecurityGroupName !== undefined) {
    if (input.CidrIp !== undefined) throw Errors.invalidParameterCombination("The parameter CidrIp cannot be used with SourceSecurityGroupName.");
    // Without a protocol, a source group is let in on everything.
    return [
      {
        ...ports,
        IpProtocol: input.IpProtocol ?? "-1",
        UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }],
      },
    ];
  }
  if (input.CidrIp === undefined) throw Errors.missingParameter("CidrIp");
  return [{ ...ports, IpRanges: [{ CidrIp: input.CidrIp }] }];
}

function authorize<Input extends RuleRequest & { TagSpecifications?: CreateSecurityGroupRequest["TagSpecifications"] }, Output>(
  groups: SecurityGroupService,
  direction: Direction,
) {
  return operation<Input, Output>({
    validate(input) {
      const permissions = permissionsOf(input, direction);
      // A call that names no rule would answer Return true having done nothing (docs/decisions.md).
      if (permissions.length === 0) throw Errors.missingParameter("IpPermissions");
      rulesOfPermissions(permissions);
      tagsFromSpecifications(input.TagSpecifications, "security-group-rule");
    },
    async handle(input, caller) {
      const tags = tagsFromSpecifications(input.TagSpecifications, "security-group-rule");
      const rules = await groups.authorize(caller, direction, { groupId: input.GroupId, groupName: input.GroupName }, permissionsOf(input, direction), tags);
      return { Return: true, SecurityGroupRules: rules.map(ruleWire) } as Output;
    },
  });
}

function revoke<Input extends RuleRequest & { SecurityGroupRuleIds?: string[] }, Output>(groups: SecurityGroupService, direction: Direction) {
  return operation<Input, Output>({
    async handle(input, caller) {
      const { revoked, unknown } = await groups.revoke(
        caller,
        direction,
        { groupId: input.GroupId, groupName: input.GroupName },
        { permissions: permissionsOf(input, direction), ruleIds: input.SecurityGroupRuleIds ?? [] },
      );
      return {
        Return: true,
        ...(unknown.length > 0 ? { UnknownIpPermissions: ipPermissions(unknown) } : {}),
        RevokedSecurityGroupRules: revoked.map(revokedWire),
      } as Output;
    },
  });
}

function updateDescriptions<
  Input extends {
    GroupId?: string;
    GroupName?: string;
    IpPermissions?: IpPermission[];
    SecurityGroupRuleDescriptions?: Array<{ SecurityGroupRuleId?: string; Description?: string }>;
  },
  Output,
>(groups: SecurityGroupService, direction: Direction) {
  return operation<Input, Output>({
    async handle(input, caller) {
      const descriptions = (input.SecurityGroupRuleDescriptions ?? []).map((item) => {
        if (!item.SecurityGroupRuleId) throw Errors.missingParameter("SecurityGroupRuleDescription.N.SecurityGroupRuleId");
        return { ruleId: item.SecurityGroupRuleId, description: item.Description };
      });
      await groups.updateDescriptions(
        caller,
        direction,
        { groupId: input.GroupId, groupName: input.GroupName },
        { permissions: input.IpPermissions ?? [], descriptions },
      );
      return { Return: true } as Output;
    },
  });
}

function securityGroupWire(group: SecurityGroupView): SecurityGroupWire {
  return {
    GroupId: group.groupId,
    GroupName: group.groupName,
    Description: group.description,
    OwnerId: group.accountId,
    VpcId: group.vpcId,
    SecurityGroupArn: securityGroupArn(group.region, group.accountId, group.groupId),
    IpPermissions: ipPermissions(group.rules.filter((rule) => !rule.isEgress)),
    IpPermissionsEgress: ipPermissions(group.rules.filter((rule) => rule.isEgress)),
    Tags: group.tags,
  };
}

type PermissionRule = Omit<UnknownRule, "isEgress">;

/**
 * Rules as EC2 shows them in a group: one IpPermission per protocol and port range, in the order each first
 * appears, holding every peer of that range (CIDRs, IPv6 CIDRs, groups, prefix lists) with its description.
 */
export function ipPermissions(rules: readonly PermissionRule[]): IpPermission[] {
  const byRange = new Map<string, Required<Pick<IpPermission, "IpRanges" | "Ipv6Ranges" | "PrefixListIds" | "UserIdGroupPairs">> & IpPermission>();
  for (const rule of rules) {
    const range = [rule.ipProtocol, rule.fromPort ?? "", rule.toPort ?? ""].join("|");
    let permission = byRange.get(range);
    if (!permission) {
      permission = {
        IpProtocol: rule.ipProtocol,
        FromPort: rule.fromPort,
        ToPort: rule.toPort,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byRange.set(range, permission);
    }
    const description = rule.description !== undefined ? { Description: rule.description } : {};
    if (rule.cidrIpv4 !== undefined) permission.IpRanges.push({ CidrIp: rule.cidrIpv4, ...description });
    else if (rule.cidrIpv6 !== undefined) permission.Ipv6Ranges.push({ CidrIpv6: rule.cidrIpv6, ...description });
    else if (rule.prefixListId !== undefined) permission.PrefixListIds.push({ PrefixListId: rule.prefixListId, ...description });
    else
      permission.UserIdGroupPairs.push({
        GroupId: rule.referencedGroupId,
        GroupName: rule.referencedGroupId ? undefined : rule.referencedGroupName,
        UserId: rule.accountId,
        ...description,
      });
  }
  return [...byRange.values()];
}

/** One rule as DescribeSecurityGroupRules shows it: ports -1 where the protocol has none. */
function ruleWire(rule: RuleView): SecurityGroupRuleWire {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: rule.groupId,
    GroupOwnerId: rule.accountId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.ipProtocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
    CidrIpv4: rule.cidrIpv4,
    CidrIpv6: rule.cidrIpv6,
    PrefixListId: rule.prefixListId,
    ReferencedGroupInfo: rule.referencedGroupId ? { GroupId: rule.referencedGroupId, UserId: rule.accountId } : undefined,
    Description: rule.description,
    Tags: rule.tags,
    SecurityGroupRuleArn: securityGroupRuleArn(rule.region, rule.accountId, rule.ruleId),
  };
}

function revokedWire(rule: SecurityGroupRule): RevokedSecurityGroupRule {
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: rule.groupId,
    IsEgress: rule.isEgress,
    IpProtocol: rule.ipProtocol,
    FromPort: rule.fromPort ?? -1,
    ToPort: rule.toPort ?? -1,
    CidrIpv4: rule.cidrIpv4,
    CidrIpv6: rule.cidrIpv6,
    PrefixListId: rule.prefixListId,
    ReferencedGroupId: rule.referencedGroupId,
    Description: rule.description,
  };
}
