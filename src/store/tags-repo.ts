// Tags of every resource type, kept in one table and read back grouped by resource id.
import type { Tag } from "../domain/tags.js";
import type { Prisma, PrismaClient } from "./generated/client.js";

export interface TagOwner {
  resourceId: string;
  resourceType: string;
  accountId: string;
  region: string;
}

type Db = PrismaClient | Prisma.TransactionClient;

export function insertTags(db: Db, owner: TagOwner, tags: readonly Tag[]) {
  return db.tag.createMany({ data: tags.map((tag) => ({ ...owner, key: tag.Key, value: tag.Value })) });
}

/** Tags the account put on these resources in this region. */
export async function tagsByResource(db: Db, scope: { accountId: string; region: string }, resourceIds: readonly string[]): Promise<Map<string, Tag[]>> {
  const rows = await db.tag.findMany({
    where: { accountId: scope.accountId, region: scope.region, resourceId: { in: [...resourceIds] } },
    orderBy: { key: "asc" },
  });
  const byResource = new Map<string, Tag[]>();
  for (const row of rows) {
    const list = byResource.get(row.resourceId) ?? [];
    list.push({ Key: row.key, Value: row.value });
    byResource.set(row.resourceId, list);
  }
  return byResource;
}
