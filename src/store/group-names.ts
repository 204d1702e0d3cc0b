// Group names by id, for the readers that show a group's name beside its id (an instance's placement group, an
// interface's security groups).
import { placeholders, type Sql } from "./sql.js";

/**
 * The names of these groups (PlacementGroup and SecurityGroup are both keyed by groupId), each read once: a page's
 * instances and interfaces mostly share a few groups, which a join would read once a row.
 */
export function groupNamesSync(sql: Sql, table: "PlacementGroup" | "SecurityGroup", groupIds: Iterable<string>): Map<string, string> {
  const ids = [...new Set(groupIds)];
  if (ids.length === 0) return new Map();
  const rows = sql.all<{ groupId: string; groupName: string }>(
    `SELECT "groupId", "groupName" FROM "${table}" WHERE "groupId" IN (${placeholders(ids.length)})`,
    ...ids,
  );
  return new Map(rows.map((g) => [g.groupId, g.groupName]));
}
