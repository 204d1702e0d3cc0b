// Security groups and their rules on the synchronous connection (docs/networking.md). Every write is a plain
// synchronous function a service runs inside `sql.write`, so its checks and its changes are one transaction.
// Rules are read in the order they were made (SQLite's rowid), which is the order EC2 shows them in.
import type { Scope } from "../domain/caller.js";
import type { SecurityGroup, SecurityGroupRule } from "../domain/network.js";
import type { Tag } from "../domain/tags.js";
import type { NetworkRepo } from "./network-repo.js";
import { securityGroupFromRow, securityGroupRuleFromRow, securityGroupRuleToRow } from "./rows/network.js";
import { placeholders, type Sql } from "./sql.js";
import { deleteTagsSync, insertTagsSync } from "./tags-repo.js";

type Raw = Record<string, unknown>;

export class SecurityGroupsRepo {
  constructor(
    readonly sql: Sql,
    private readonly network: NetworkRepo,
  ) {}

  /** The scope's groups (these ids only, when given), in id order, with their tags. */
  groups(scope: Scope, ids?: readonly string[]): SecurityGroup[] {
    const groups = this.network.securityGroups(scope, ids);
    const tags = this.network.tagsOf(
      scope,
      "sg",
      groups.map((group) => group.groupId),
    );
    return groups.map((group) => ({ ...group, tags: tags.get(group.groupId) ?? [] }));
  }

  groupByName(scope: Scope, vpcId: string, groupName: string): SecurityGroup | undefined {
    const raw = this.sql.get<Raw>(
      'SELECT * FROM "SecurityGroup" WHERE "vpcId" = ? AND "groupName" = ? AND "accountId" = ? AND "region" = ?',
      vpcId,
      groupName,
      scope.accountId,
      scope.region,
    );
    return raw ? securityGroupFromRow(raw, this.network.tagsOf(scope, "sg", [raw.groupId as string]).get(raw.groupId as string) ?? []) : undefined;
  }

  /** The rules of these groups, in the order they were made. */
  rulesOf(groupIds: readonly string[]): SecurityGroupRule[] {
    if (groupIds.length === 0) return [];
    return this.sql
      .all<Raw>(`SELECT * FROM "SecurityGroupRule" WHERE "groupId" IN (${placeholders(groupIds.length)}) ORDER BY rowid`, ...groupIds)
      .map(securityGroupRuleFromRow);
  }

  /** The scope's rules (these ids only, when given), in id order. */
  rules(scope: Scope, ruleIds?: readonly string[]): SecurityGroupRule[] {
    const byId = ruleIds && ruleIds.length > 0 ? ` AND "ruleId" IN (${placeholders(ruleIds.length)})` : "";
    return this.sql
      .all<Raw>(
        `SELECT * FROM "SecurityGroupRule" WHERE "accountId" = ? AND "region" = ?${byId} ORDER BY "ruleId"`,
        scope.accountId,
        scope.region,
        ...(ruleIds ?? []),
      )
      .map(securityGroupRuleFromRow);
  }

  ruleTags(scope: Scope, ruleIds: readonly string[]): Map<string, Tag[]> {
    return ruleIds.length === 0 ? new Map() : this.network.tagsOf(scope, "sgr", ruleIds);
  }

  insertGroupSync(group: SecurityGroup, rules: readonly SecurityGroupRule[]): void {
    this.network.insertSecurityGroupSync(group, rules);
  }

  insertRulesSync(rules: readonly SecurityGroupRule[], tags: readonly Tag[]): void {
    for (const rule of rules) {
      this.sql.insert("SecurityGroupRule", securityGroupRuleToRow(rule));
      if (tags.length > 0)
        insertTagsSync(this.sql, { resourceId: rule.ruleId, resourceType: "security-group-rule", accountId: rule.accountId, region: rule.region }, tags);
    }
  }

  deleteRulesSync(scope: Scope, ruleIds: readonly string[]): void {
    for (const ruleId of ruleIds) {
      this.sql.run('DELETE FROM "SecurityGroupRule" WHERE "ruleId" = ?', ruleId);
      deleteTagsSync(this.sql, scope.region, ruleId);
    }
  }

  /** Rewrites a rule's protocol, ports, peer and description (ModifySecurityGroupRules, the description updates). */
  updateRuleSync(rule: SecurityGroupRule): void {
    const row = securityGroupRuleToRow(rule);
    const columns = ["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "prefixListId", "referencedGroupId", "description"];
    this.sql.run(
      `UPDATE "SecurityGroupRule" SET ${columns.map((column) => `"${column}" = ?`).join(", ")} WHERE "ruleId" = ?`,
      ...columns.map((column) => row[column] ?? null),
      rule.ruleId,
    );
  }

  /** The group, its rules and every tag on them. */
  deleteGroupSync(scope: Scope, groupId: string): void {
    this.deleteRulesSync(
      scope,
      this.rulesOf([groupId]).map((rule) => rule.ruleId),
    );
    this.sql.run('DELETE FROM "SecurityGroup" WHERE "groupId" = ?', groupId);
    deleteTagsSync(this.sql, scope.region, groupId);
  }

  /** Whether a network interface has the group. */
  isInUse(groupId: string): boolean {
    return this.sql.get('SELECT 1 FROM "NetworkInterfaceGroup" WHERE "groupId" = ? LIMIT 1', groupId) !== undefined;
  }

  /** Whether another group's rule names this group as its peer. */
  isReferencedByOthers(groupId: string): boolean {
    return this.sql.get('SELECT 1 FROM "SecurityGroupRule" WHERE "referencedGroupId" = ? AND "groupId" <> ? LIMIT 1', groupId, groupId) !== undefined;
  }
}
