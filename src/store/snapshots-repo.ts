// EBS snapshots and their tags: every write of the Snapshot table (and its read on the synchronous connection, for
// launches). A snapshot is visible to its owner, to the accounts its createVolumePermission names and, when public,
// to everyone in the region (the rule of domain/snapshots.ts canUseSnapshot, as a query).
import type { Scope } from "../domain/caller.js";
import type { Snapshot, TaggedSnapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import type { PrismaClient } from "./generated/client.js";
import { snapshotColumns, snapshotFromRow, snapshotPermissionsToRow, snapshotToRow } from "./rows/snapshot.js";
import { type Db, scopeWhere } from "./scope.js";
import type { Sql } from "./sql.js";
import { deleteTags, insertTags, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, keepListed } from "./bound-ids.js";

export interface SnapshotNarrowing {
  snapshotIds?: string[];
  /** Account ids, or "amazon" for the owner alias. */
  owners?: string[];
}

/** Stores a snapshot and its tags; joins the caller's transaction. */
export async function insertSnapshot(db: Db, snapshot: Snapshot, tags: readonly Tag[]): Promise<void> {
  await db.snapshot.create({ data: snapshotToRow(snapshot) });
  await insertTags(db, { resourceId: snapshot.snapshotId, resourceType: "snapshot", accountId: snapshot.accountId, region: snapshot.region }, tags);
}

export async function findSnapshot(db: Db, region: string, snapshotId: string): Promise<Snapshot | undefined> {
  const row = await db.snapshot.findFirst({ where: { region, snapshotId } });
  return row ? snapshotFromRow(row) : undefined;
}

export function findSnapshotSync(sql: Sql, region: string, snapshotId: string): Snapshot | undefined {
  const row = sql.get('SELECT * FROM "Snapshot" WHERE "region" = ? AND "snapshotId" = ?', region, snapshotId);
  return row ? snapshotFromRow(snapshotColumns.fromSqlite(row)) : undefined;
}

export class SnapshotsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  find(region: string, snapshotId: string): Promise<Snapshot | undefined> {
    return findSnapshot(this.prisma, region, snapshotId);
  }

  /** The snapshots the caller may use in its region, with the caller's tags; `narrow` only shrinks what is read. */
  async visible(scope: Scope, narrow: SnapshotNarrowing = {}): Promise<TaggedSnapshot[]> {
    const and = [];
    if (narrow.snapshotIds?.length && fitsOneStatement(narrow.snapshotIds)) and.push({ snapshotId: { in: narrow.snapshotIds } });
    if (narrow.owners?.length) and.push({ OR: narrow.owners.map((owner) => (owner === "amazon" ? { ownerAlias: "amazon" } : { accountId: owner })) });
    const found = await this.prisma.snapshot.findMany({
      where: {
        region: scope.region,
        OR: [{ accountId: scope.accountId }, { public: true }, { createVolumePermissions: { contains: JSON.stringify(scope.accountId) } }],
        AND: and,
      },
      orderBy: { snapshotId: "asc" },
    });
    const rows = keepListed(found, narrow.snapshotIds, (row) => row.snapshotId);
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "snapshot",
      rows.map((row) => row.snapshotId),
    );
    return rows.map((row) => ({ ...snapshotFromRow(row), tags: tags.get(row.snapshotId) ?? [] }));
  }

  /** Replaces a snapshot's createVolumePermission: Group=all and the account ids. */
  async setCreateVolumePermissions(region: string, snapshotId: string, permissions: Pick<Snapshot, "public" | "createVolumePermissions">): Promise<void> {
    await this.prisma.snapshot.updateMany({ where: { region, snapshotId }, data: snapshotPermissionsToRow(permissions) });
  }

  /** Stores snapshots, each with its tags, in one transaction: all of them or none. */
  async insertSet(snapshots: readonly TaggedSnapshot[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const { tags, ...snapshot } of snapshots) await insertSnapshot(tx, snapshot, tags);
    });
  }

  async insert(snapshot: Snapshot, tags: readonly Tag[]): Promise<void> {
    await this.prisma.$transaction((tx) => insertSnapshot(tx, snapshot, tags));
  }

  /**
   * Deletes the owner's snapshot and every account's tags on it, unless an image in the region maps it: then the
   * id of that image. "missing" when the owner has no such snapshot.
   */
  async delete(scope: Scope, snapshotId: string): Promise<"deleted" | "missing" | { inUseBy: string }> {
    return this.prisma.$transaction(async (tx) => {
      // The mappings are JSON; a LIKE on the id finds candidates, and the parse below confirms each.
      const images = await tx.image.findMany({
        where: { region: scope.region, blockDeviceMappings: { contains: snapshotId } },
        select: { imageId: true, blockDeviceMappings: true },
      });
      const user = images.find((image) =>
        (JSON.parse(image.blockDeviceMappings) as Array<{ Ebs?: { SnapshotId?: string } }>).some((m) => m.Ebs?.SnapshotId === snapshotId),
      );
      if (user) return { inUseBy: user.imageId };
      const deleted = await tx.snapshot.deleteMany({ where: { ...scopeWhere(scope), snapshotId } });
      if (deleted.count === 0) return "missing";
      await deleteTags(tx, { region: scope.region }, [snapshotId]);
      return "deleted";
    });
  }
}
