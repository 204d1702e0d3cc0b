// Security groups and their rules (docs/networking.md): create, describe, delete; authorize and revoke rules in
// either direction; describe and modify rules by id. Every change checks and writes in one transaction on the
// synchronous connection, after the account's default network exists (its `default` groups with it).
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type RuleView, type SecurityGroupView, securityGroupFilters, securityGroupRuleFilters } from "../domain/filters/security-groups.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import type { SecurityGroup, SecurityGroupRule } from "../domain/network.js";
import { type Page, paginate } from "../domain/pagination.js";
import {
  defaultEgress,
  describeRule,
  type GroupReference,
  type PermissionInput,
  type RuleSpec,
  ruleKey,
  rulesOfPermissions,
  validateGroupDescription,
  validateGroupName,
  validateRuleDescription,
  withinRuleLimit,
} from "../domain/security-groups.js";
import type { Tag } from "../domain/tags.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { SecurityGroupsRepo } from "../store/security-groups-repo.js";
import type { DefaultNetwork } from "./default-network.js";

export type Direction = "ingress" | "egress";

/** A group named by id, or by name in the default VPC (EC2's GroupName). */
export interface GroupName {
  groupId?: string;
  groupName?: string;
}

export interface PageRequest {
  MaxResults?: number;
  NextToken?: string;
}

/** A rule a revoke named that the group does not have: its protocol, ports and peer, as asked. */
export type UnknownRule = Omit<RuleView, "ruleId" | "groupId" | "tags">;

export interface RuleUpdate {
  ruleId: string;
  permission: PermissionInput;
}

/** Only the owner's account and region: a Caller carries more (its key, the request id), and rows must not. */
const own = (scope: Scope): Scope => ({ accountId: scope.accountId, region: scope.region });

export class SecurityGroupService {
  constructor(
    private readonly repo: SecurityGroupsRepo,
    private readonly network: NetworkRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly clock: Clock,
  ) {}

  async create(scope: Scope, input: { groupName: string; description: string; vpcId?: string; tags: Tag[] }): Promise<SecurityGroup> {
    validateGroupName(input.groupName);
    validateGroupDescription(input.description);
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    return this.repo.sql.write(() => {
      const vpcId = input.vpcId ?? defaultVpcId;
      if (vpcId === undefined) throw Errors.groupNoDefaultVpc();
      if (this.network.vpcs(scope, [vpcId]).length === 0) throw Errors.vpcNotFound(vpcId);
      if (this.repo.groupByName(scope, vpcId, input.groupName)) throw Errors.groupDuplicate(input.groupName, vpcId);
      const group: SecurityGroup = {
        ...own(scope),
        groupId: newId("sg"),
        vpcId,
        groupName: input.groupName,
        description: input.description,
        createdAt: this.clock.now(),
        tags: input.tags,
      };
      // Every new group lets everything out until told otherwise, as in EC2.
      this.repo.insertGroupSync(group, [this.newRule(scope, group, true, defaultEgress)]);
      return group;
    });
  }

  async describe(scope: Scope, request: PageRequest & { groupIds?: string[]; groupNames?: string[]; filters?: Filter[] }): Promise<Page<SecurityGroupView>> {
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    const groupIds = request.groupIds ?? [];
    const groupNames = request.groupNames ?? [];
    let groups: SecurityGroup[];
    if (groupIds.length === 0 && groupNames.length === 0) groups = this.repo.groups(scope);
    else {
      const named = new Map<string, SecurityGroup>();
      for (const groupId of groupIds) if (!isWellFormedId(groupId, "sg")) throw Errors.groupMalformed(groupId);
      const byId = groupIds.length > 0 ? this.repo.groups(scope, groupIds) : [];
      const missing = groupIds.find((id) => !byId.some((group) => group.groupId === id));
      if (missing !== undefined) throw Errors.groupNotFound(missing);
      for (const group of byId) named.set(group.groupId, group);
      for (const name of groupNames) {
        const group = this.groupInDefaultVpc(scope, defaultVpcId, name);
        named.set(group.groupId, group);
      }
      groups = [...named.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
    }
    const views = this.views(scope, groups);
    const matching = applyFilters(views, request.filters, securityGroupFilters);
    return paginate(matching, (group) => group.groupId, request, Number.POSITIVE_INFINITY);
  }

  /** EC2 refuses to delete a `default` group, or one an interface uses or another group's rule names. */
  async delete(scope: Scope, name: GroupName): Promise<string> {
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    return this.repo.sql.write(() => {
      const group = this.findGroup(scope, defaultVpcId, name);
      if (group.groupName === "default") throw Errors.defaultGroupUndeletable(group.groupId);
      if (this.repo.isInUse(group.groupId) || this.repo.isReferencedByOthers(group.groupId)) throw Errors.groupHasDependents(group.groupId);
      this.repo.deleteGroupSync(scope, group.groupId);
      return group.groupId;
    });
  }

  async authorize(scope: Scope, direction: Direction, name: GroupName, permissions: readonly PermissionInput[], tags: Tag[]): Promise<RuleView[]> {
    const specs = rulesOfPermissions(permissions);
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    return this.repo.sql.write(() => {
      const group = this.findGroup(scope, defaultVpcId, name);
      const isEgress = direction === "egress";
      const rules = specs.map((spec) => this.newRule(scope, group, isEgress, spec));
      const asked = new Set<string>();
      for (const rule of rules) {
        if (asked.has(ruleKey(rule))) throw Errors.permissionRepeated();
        asked.add(ruleKey(rule));
      }
      const existing = this.repo.rulesOf([group.groupId]);
      const existingKeys = new Set(existing.map(ruleKey));
      const duplicate = rules.find((rule) => existingKeys.has(ruleKey(rule)));
      if (duplicate) throw Errors.permissionDuplicate(describeRule(duplicate));
      if (!withinRuleLimit([...existing, ...rules], isEgress)) throw Errors.rulesPerGroupLimitExceeded();
      this.repo.insertRulesSync(rules, tags);
      return this.ruleViews(scope, rules, new Map(rules.map((rule) => [rule.ruleId, tags])));
    });
  }

  /**
   * Rules by id, or by their protocol, ports and peer. As EC2 documents: in the default VPC a permission that
   * matches no rule is answered back as unknown and the others are revoked; in any other VPC it is
   * InvalidPermission.NotFound and nothing is revoked.
   */
  async revoke(
    scope: Scope,
    direction: Direction,
    name: GroupName,
    by: { permissions: readonly PermissionInput[]; ruleIds: readonly string[] },
  ): Promise<{ revoked: SecurityGroupRule[]; unknown: UnknownRule[] }> {
    checkOneWay(by);
    const specs = rulesOfPermissions(by.permissions);
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    return this.repo.sql.write(() => {
      const group = this.findGroup(scope, defaultVpcId, name);
      const existing = this.repo.rulesOf([group.groupId]).filter((rule) => rule.isEgress === (direction === "egress"));
      const revoked = new Map<string, SecurityGroupRule>();
      const unknown: UnknownRule[] = [];
      if (by.ruleIds.length > 0) {
        for (const ruleId of by.ruleIds) revoked.set(ruleId, ruleById(existing, ruleId));
      } else {
        const byKey = new Map(existing.map((rule) => [ruleKey(rule), rule]));
        for (const spec of specs) {
          const match = this.matchRule(scope, group, direction, spec, byKey);
          if (match) revoked.set(match.ruleId, match);
          else unknown.push(this.unknownRule(scope, direction, spec));
        }
        if (unknown.length > 0 && group.vpcId !== defaultVpcId) throw Errors.permissionNotFound();
      }
      this.repo.deleteRulesSync(scope, [...revoked.keys()]);
      return { revoked: [...revoked.values()], unknown };
    });
  }

  async describeRules(scope: Scope, request: PageRequest & { ruleIds?: string[]; filters?: Filter[] }): Promise<Page<RuleView>> {
    await this.defaultNetwork.ensure(own(scope));
    const ruleIds = request.ruleIds ?? [];
    const rules = this.repo.rules(scope, ruleIds);
    const missing = ruleIds.find((id) => !rules.some((rule) => rule.ruleId === id));
    if (missing !== undefined) throw Errors.ruleNotFound(missing);
    const views = this.storedRuleViews(scope, rules);
    const matching = applyFilters(views, request.filters, securityGroupRuleFilters);
    return paginate(matching, (rule) => rule.ruleId, request, Number.POSITIVE_INFINITY);
  }

  /** ModifySecurityGroupRules: each rule takes the protocol, ports, peer and description given, in place. */
  async modifyRules(scope: Scope, groupId: string, updates: readonly RuleUpdate[]): Promise<void> {
    const specs = updates.map((update) => rulesOfPermissions([update.permission])[0]!);
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    await this.repo.sql.write(() => {
      const group = this.findGroup(scope, defaultVpcId, { groupId });
      const existing = this.repo.rulesOf([group.groupId]);
      const changed = updates.map((update, index) => {
        const rule = ruleById(existing, update.ruleId);
        const fresh = this.newRule(scope, group, rule.isEgress, specs[index]!);
        return { ...fresh, ruleId: rule.ruleId };
      });
      const after = [...existing.filter((rule) => !changed.some((c) => c.ruleId === rule.ruleId)), ...changed];
      const seen = new Set<string>();
      for (const rule of after) {
        if (seen.has(ruleKey(rule))) throw Errors.permissionDuplicate(describeRule(rule));
        seen.add(ruleKey(rule));
      }
      if (!withinRuleLimit(after, false) || !withinRuleLimit(after, true)) throw Errors.rulesPerGroupLimitExceeded();
      for (const rule of changed) this.repo.updateRuleSync(rule);
    });
  }

  /** UpdateSecurityGroupRuleDescriptions*: the description given (none clears it), by rule id or by permission. */
  async updateDescriptions(
    scope: Scope,
    direction: Direction,
    name: GroupName,
    by: { permissions: readonly PermissionInput[]; descriptions: ReadonlyArray<{ ruleId: string; description?: string }> },
  ): Promise<void> {
    checkOneWay({ permissions: by.permissions, ruleIds: by.descriptions.map((d) => d.ruleId) });
    for (const { description } of by.descriptions) validateRuleDescription(description);
    const specs = rulesOfPermissions(by.permissions);
    const defaultVpcId = await this.defaultNetwork.ensure(own(scope));
    await this.repo.sql.write(() => {
      const group = this.findGroup(scope, defaultVpcId, name);
      const existing = this.repo.rulesOf([group.groupId]).filter((rule) => rule.isEgress === (direction === "egress"));
      const changes = by.descriptions.map(({ ruleId, description }) => ({ rule: ruleById(existing, ruleId), description }));
      const byKey = new Map(existing.map((rule) => [ruleKey(rule), rule]));
      for (const spec of specs) {
        const rule = this.matchRule(scope, group, direction, spec, byKey);
        if (!rule) throw Errors.permissionNotFound();
        changes.push({ rule, description: spec.description });
      }
      for (const { rule, description } of changes) {
        const { description: _old, ...rest } = rule;
        this.repo.updateRuleSync(description === undefined ? rest : { ...rest, description });
      }
    });
  }

  // --- inside a transaction ---

  private findGroup(scope: Scope, defaultVpcId: string | undefined, name: GroupName): SecurityGroup {
    if (name.groupId !== undefined) {
      if (!isWellFormedId(name.groupId, "sg")) throw Errors.groupMalformed(name.groupId);
      const [group] = this.repo.groups(scope, [name.groupId]);
      if (!group) throw Errors.groupNotFound(name.groupId);
      return group;
    }
    if (name.groupName !== undefined) return this.groupInDefaultVpc(scope, defaultVpcId, name.groupName);
    throw Errors.missingParameter("groupName or groupId");
  }

  private groupInDefaultVpc(scope: Scope, defaultVpcId: string | undefined, groupName: string): SecurityGroup {
    if (defaultVpcId === undefined) throw Errors.groupNoDefaultVpc();
    const group = this.repo.groupByName(scope, defaultVpcId, groupName);
    if (!group) throw Errors.groupNameNotFound(groupName, defaultVpcId);
    return group;
  }

  /** The group a rule names as its peer: one of the caller's, in the rule's own VPC; undefined otherwise. */
  private referencedGroup(scope: Scope, group: SecurityGroup, reference: GroupReference): SecurityGroup | undefined {
    if (reference.userId !== undefined && reference.userId !== scope.accountId) return undefined;
    if (reference.groupId !== undefined) {
      if (!isWellFormedId(reference.groupId, "sg")) throw Errors.groupMalformed(reference.groupId);
      const [peer] = this.repo.groups(scope, [reference.groupId]);
      return peer && peer.vpcId === group.vpcId ? peer : undefined;
    }
    return this.repo.groupByName(scope, group.vpcId, reference.groupName!);
  }

  private newRule(scope: Scope, group: SecurityGroup, isEgress: boolean, spec: RuleSpec): SecurityGroupRule {
    const { referencedGroup: reference, ...rest } = spec;
    const rule: SecurityGroupRule = { ...own(scope), ruleId: newId("sgr"), groupId: group.groupId, isEgress, ...rest };
    if (reference) {
      const peer = this.referencedGroup(scope, group, reference);
      if (!peer) throw Errors.groupNotFound(reference.groupId ?? reference.groupName!);
      rule.referencedGroupId = peer.groupId;
    }
    return rule;
  }

  /** The group's rule a permission names (its description aside), if it has one. */
  private matchRule(scope: Scope, group: SecurityGroup, direction: Direction, spec: RuleSpec, byKey: Map<string, SecurityGroupRule>) {
    const { referencedGroup: reference, description: _description, ...rest } = spec;
    const peer = reference ? this.referencedGroup(scope, group, reference) : undefined;
    if (reference && !peer) return undefined;
    return byKey.get(ruleKey({ ...rest, isEgress: direction === "egress", referencedGroupId: peer?.groupId }));
  }

  private unknownRule(scope: Scope, direction: Direction, spec: RuleSpec): UnknownRule {
    const { referencedGroup: reference, ...rest } = spec;
    return {
      ...own(scope),
      ...rest,
      isEgress: direction === "egress",
      ...(reference ? { referencedGroupId: reference.groupId, referencedGroupName: reference.groupName } : {}),
    };
  }

  private views(scope: Scope, groups: SecurityGroup[]): SecurityGroupView[] {
    const rules = this.repo.rulesOf(groups.map((group) => group.groupId));
    const views = this.storedRuleViews(scope, rules);
    const byGroup = new Map<string, RuleView[]>();
    for (const rule of views) byGroup.set(rule.groupId, [...(byGroup.get(rule.groupId) ?? []), rule]);
    return groups.map((group) => ({ ...group, rules: byGroup.get(group.groupId) ?? [] }));
  }

  /** Stored rules with their tags, read from the store. */
  private storedRuleViews(scope: Scope, rules: readonly SecurityGroupRule[]): RuleView[] {
    return this.ruleViews(
      scope,
      rules,
      this.repo.ruleTags(
        scope,
        rules.map((rule) => rule.ruleId),
      ),
    );
  }

  private ruleViews(scope: Scope, rules: readonly SecurityGroupRule[], tags: Map<string, Tag[]>): RuleView[] {
    const peerIds = [...new Set(rules.flatMap((rule) => (rule.referencedGroupId ? [rule.referencedGroupId] : [])))];
    const names = new Map(peerIds.length > 0 ? this.network.securityGroups(scope, peerIds).map((g) => [g.groupId, g.groupName]) : []);
    return rules.map((rule) => ({
      ...rule,
      ...(rule.referencedGroupId && names.has(rule.referencedGroupId) ? { referencedGroupName: names.get(rule.referencedGroupId) } : {}),
      tags: tags.get(rule.ruleId) ?? [],
    }));
  }
}

function ruleById(rules: readonly SecurityGroupRule[], ruleId: string): SecurityGroupRule {
  const rule = rules.find((candidate) => candidate.ruleId === ruleId);
  if (!rule) throw Errors.ruleNotFound(ruleId);
  return rule;
}

/** A call names rules by permission or by id, one way only. */
function checkOneWay(by: { permissions: readonly unknown[]; ruleIds: readonly unknown[] }): void {
  if (by.permissions.length > 0 && by.ruleIds.length > 0) {
    throw Errors.invalidParameterCombination("Name the rules either by IpPermissions or by SecurityGroupRuleIds, not both.");
  }
  if (by.permissions.length === 0 && by.ruleIds.length === 0) throw Errors.missingParameter("ipPermissions or securityGroupRuleIds");
}
