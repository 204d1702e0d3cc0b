// Placement groups of one account and region, with their tags.
import { insertUnlessTaken } from "./unique-insert.js";
import type { Scope } from "../domain/caller.js";
import type { PlacementGroup } from "../domain/placement-groups.js";
import { type PlacementGroup as GroupRow, type PrismaClient } from "./generated/client.js";
import { scopeWhere } from "./scope.js";
import { deleteTags, insertTags, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, keepListed } from "./bound-ids.js";

export class PlacementGroupsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(group: PlacementGroup): Promise<"created" | "duplicate"> {
    const { tags, ...row } = group;
    return insertUnlessTaken(
      () => this.prisma.placementGroup.findFirst({ where: { ...scopeWhere(group), groupName: group.groupName }, select: { groupId: true } }),
      () =>
        this.prisma.$transaction(async (tx) => {
          await tx.placementGroup.create({ data: row });
          await insertTags(tx, { resourceId: group.groupId, resourceType: "placement-group", accountId: group.accountId, region: group.region }, tags);
        }),
    );
  }

  async list(scope: Scope, where: { names?: string[]; ids?: string[] } = {}): Promise<PlacementGroup[]> {
    const names = where.names && fitsOneStatement(where.names) ? { groupName: { in: where.names } } : {};
    const ids = where.ids && fitsOneStatement(where.ids) ? { groupId: { in: where.ids } } : {};
    const found = await this.prisma.placementGroup.findMany({ where: { ...scopeWhere(scope), ...names, ...ids }, orderBy: { groupName: "asc" } });
    const rows = keepListed(
      keepListed(found, where.names, (row) => row.groupName),
      where.ids,
      (row) => row.groupId,
    );
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "placement-group",
      rows.map((row) => row.groupId),
    );
    return rows.map((row) => toGroup(row, tags.get(row.groupId) ?? []));
  }

  /** Deletes the group unless an instance that is not terminated is in it; "in-use" then. */
  async delete(scope: Scope, groupId: string): Promise<"deleted" | "in-use"> {
    return this.prisma.$transaction(async (tx) => {
      const members = await tx.instance.count({ where: { placementGroupId: groupId, state: { not: "shutting-down" } } });
      if (members > 0) return "in-use";
      await deleteTags(tx, scopeWhere(scope), [groupId]);
      await tx.placementGroup.delete({ where: { groupId } });
      return "deleted";
    });
  }
}

function toGroup(row: GroupRow, tags: PlacementGroup["tags"]): PlacementGroup {
  const { partitionCount, spreadLevel, ...rest } = row;
  return {
    ...rest,
    strategy: rest.strategy as PlacementGroup["strategy"],
    ...(partitionCount !== null ? { partitionCount } : {}),
    ...(spreadLevel !== null ? { spreadLevel: spreadLevel as "rack" } : {}),
    tags,
  };
}
