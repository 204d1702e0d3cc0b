// Images, their launch permissions and their tags; snapshots. Reads are scoped to a region and to what the
// caller may see; the JSON columns are parsed here, so callers get plain domain objects.
import { insertUnlessTaken } from "./unique-insert.js";
import type { TagNarrowing } from "../domain/filters.js";
import type { LaunchPermissionChange } from "../domain/image-attributes.js";
import { deregisteredVisibleMs, type Image } from "../domain/images.js";
import type { Snapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import { type PrismaClient } from "./generated/client.js";
import { ReadCache } from "./read-cache.js";
import { allImageColumns, imageFromRow, imageFromSqlite, imageToRow, listedImageColumns, type SqliteImageRow } from "./rows/image.js";
import { snapshotToRow } from "./rows/snapshot.js";
import { findSnapshot, findSnapshotSync, insertSnapshot } from "./snapshots-repo.js";
import { placeholders, type Sql } from "./sql.js";
import { deleteTags, insertTags, tagsByResource, tagsByResourceSync } from "./tags-repo.js";
import { fitsOneStatement, inChunks, maxBoundIds } from "./bound-ids.js";

export interface ImageNarrowing {
  imageIds?: string[];
  /** self, amazon, or account ids. */
  owners?: string[];
  /** Literal prefixes of the name patterns asked for. */
  nameStartsWith?: string[];
  /** Literal tag filters: only images the account tagged so are read. */
  tags?: TagNarrowing[];
  /** One page: the images after this id, at most `take` of them. */
  afterId?: string;
  take?: number;
}

export class ImagesRepo {
  /** Every launch reads its image, kernel and root snapshot: cached on the synchronous connection (src/store/read-cache.ts). */
  private readonly cache: { sql: Sql; images: ReadCache<Image>; snapshots: ReadCache<Snapshot> } | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    sql?: Sql,
  ) {
    this.cache = sql ? { sql, images: new ReadCache(sql), snapshots: new ReadCache(sql) } : undefined;
  }

  /**
   * The images of the region the account may see (its own, public ones, shared with it), in id order, without tags
   * (tagsOfImages gives them, for the page shown) and without their UEFI variable store. Visibility, owners, name
   * prefixes and tag conditions are SQL conditions; `narrow` only shrinks what is read: callers still apply their
   * exact rules.
   */
  async visible(accountId: string, region: string, narrow: ImageNarrowing = {}): Promise<Image[]> {
    // Read in id order, a page at a time: unless ids or name prefixes select a few rows through their indexes, the
    // unary + keeps SQLite on the id index, where the region's index made every page read and sort all the region's
    // images (twice the CPU for 10,000 of them in pages of 1000).
    const selective = Boolean(narrow.imageIds?.length || narrow.nameStartsWith?.length);
    const where = [
      selective ? 'i."region" = ?' : '+i."region" = ?',
      '(i."accountId" = ? OR i."public" = 1 OR EXISTS (SELECT 1 FROM "ImageLaunchPermission" p WHERE p."imageId" = i."imageId" AND p."accountId" = ?))',
    ];
    const params: unknown[] = [region, accountId, accountId];
    // The service keeps exactly the listed images; a list too long to bind only narrows less.
    if (narrow.imageIds?.length && fitsOneStatement(narrow.imageIds)) {
      where.push(`i."imageId" IN (${placeholders(narrow.imageIds.length)})`);
      params.push(...narrow.imageIds);
    }
    if (narrow.owners?.length) {
      const accounts = narrow.owners.filter((owner) => owner !== "amazon").map((owner) => (owner === "self" ? accountId : owner));
      const conditions = [`i."accountId" IN (${placeholders(accounts.length)})`];
      if (narrow.owners.includes("amazon")) conditions.push(`i."ownerAlias" = 'amazon'`);
      where.push(`(${conditions.join(" OR ")})`);
      params.push(...accounts);
    }
    if (narrow.nameStartsWith?.length) {
      // substr compares exactly (LIKE would fold case and read % and _ as wildcards).
      where.push(`(${narrow.nameStartsWith.map(() => 'substr(i."name", 1, ?) = ?').join(" OR ")})`);
      for (const prefix of narrow.nameStartsWith) params.push(prefix.length, prefix);
    }
    for (const { keys, values } of narrow.tags ?? []) {
      const key = keys ? ` AND t."key" IN (${placeholders(keys.length)})` : "";
      const value = values ? ` AND t."value" IN (${placeholders(values.length)})` : "";
      where.push(
        `EXISTS (SELECT 1 FROM "Tag" t WHERE t."accountId" = ? AND t."resourceId" = i."imageId" AND t."region" = ? AND t."resourceType" = 'image'${key}${value})`,
      );
      params.push(accountId, region, ...(keys ?? []), ...(values ?? []));
    }
    if (narrow.afterId !== undefined) {
      where.push('i."imageId" > ?');
      params.push(narrow.afterId);
    }
    const limit = narrow.take !== undefined ? ` LIMIT ${Math.trunc(narrow.take)}` : "";
    const rows = this.sqlOf().all<SqliteImageRow>(`${selectImages(listedImageColumns)} WHERE ${where.join(" AND ")} ORDER BY i."imageId"${limit}`, ...params);
    return rows.map((row) => imageFromSqlite(row, []));
  }

  /** The tags this account put on these images, by image id (for a page of DescribeImages). */
  async tagsOfImages(accountId: string, region: string, imageIds: readonly string[]): Promise<Map<string, Tag[]>> {
    const byImage = new Map<string, Tag[]>();
    for (let start = 0; start < imageIds.length; start += maxBoundIds) {
      const chunk = imageIds.slice(start, start + maxBoundIds);
      for (const [imageId, tags] of tagsByResourceSync(this.sqlOf(), { accountId, region }, "image", chunk)) byImage.set(imageId, tags);
    }
    return byImage;
  }

  private sqlOf(): Sql {
    if (!this.cache) throw new Error("ImagesRepo: listing images needs the synchronous connection");
    return this.cache.sql;
  }

  /** One image by id (every launch reads its image and kernel: on the synchronous connection when there is one). */
  async find(region: string, imageId: string): Promise<Image | undefined> {
    if (this.cache) {
      const sql = this.cache.sql;
      return this.cache.images.get(`${region}/${imageId}`, () => {
        const [row] = sql.all<SqliteImageRow>(`${selectImages(allImageColumns)} WHERE i."region" = ? AND i."imageId" = ?`, region, imageId);
        return row ? imageFromSqlite(row, []) : undefined;
      });
    }
    const row = await this.prisma.image.findFirst({ where: { region, imageId }, include: { launchPermissions: { select: { accountId: true } } } });
    return row ? imageFromRow(row, []) : undefined;
  }

  /** The tags this account put on an image. */
  async tagsOf(accountId: string, region: string, imageId: string): Promise<Tag[]> {
    return (await tagsByResource(this.prisma, { accountId, region }, "image", [imageId])).get(imageId) ?? [];
  }

  async findByName(accountId: string, region: string, name: string): Promise<string | undefined> {
    return (await this.prisma.image.findFirst({ where: { accountId, region, name }, select: { imageId: true } }))?.imageId;
  }

  async findByClientToken(accountId: string, region: string, clientToken: string): Promise<Image | undefined> {
    const row = await this.prisma.image.findFirst({
      where: { accountId, region, clientToken },
      include: { launchPermissions: { select: { accountId: true } } },
    });
    return row ? imageFromRow(row, []) : undefined;
  }

  /**
   * Stores the image, its tags, and new snapshots with theirs (CopyImage's), all or nothing; "duplicate" when the
   * owner already has an image of that name, or of that client token, here.
   */
  async insert(image: Image, snapshots: Snapshot[] = [], snapshotTags: readonly Tag[] = []): Promise<"created" | "duplicate"> {
    const { accountId, region, name, clientToken } = image;
    return insertUnlessTaken(
      () =>
        this.prisma.image.findFirst({
          where: { accountId, region, OR: [{ name }, ...(clientToken !== undefined ? [{ clientToken }] : [])] },
          select: { imageId: true },
        }),
      () =>
        this.prisma.$transaction(async (tx) => {
          await tx.image.create({ data: imageToRow(image) });
          await insertTags(tx, { resourceId: image.imageId, resourceType: "image", accountId, region }, image.tags);
          for (const snapshot of snapshots) await insertSnapshot(tx, snapshot, snapshotTags);
        }),
    );
  }

  /** Adds, then removes, accounts and the public group, in one transaction. */
  async changeLaunchPermissions(region: string, imageId: string, change: LaunchPermissionChange): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const accountId of change.addUserIds) {
        await tx.imageLaunchPermission.upsert({ where: { imageId_accountId: { imageId, accountId } }, create: { imageId, accountId }, update: {} });
      }
      await inChunks(change.removeUserIds, (chunk) => tx.imageLaunchPermission.deleteMany({ where: { imageId, accountId: { in: chunk } } }));
      if (change.addAll || change.removeAll) await tx.image.updateMany({ where: { region, imageId }, data: { public: !change.removeAll } });
    });
  }

  async updateAttributes(region: string, imageId: string, data: { description?: string; sriovNetSupport?: "simple" }): Promise<void> {
    await this.prisma.image.updateMany({ where: { region, imageId }, data });
  }

  /**
   * Deletes the owner's image, its permissions and every account's tags on it, and keeps what DescribeImages shows
   * of it for a while (the image with its owner's tags, deregistered at `now`); false when there was none.
   */
  async delete(accountId: string, region: string, imageId: string, now: Date): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.image.findFirst({ where: { accountId, region, imageId }, include: { launchPermissions: { select: { accountId: true } } } });
      if (!row) return false;
      const tags = (await tagsByResource(tx, { accountId, region }, "image", [imageId])).get(imageId) ?? [];
      const image = JSON.stringify({ ...imageFromRow(row, tags), deregisteredAt: now });
      await tx.deregisteredImage.deleteMany({ where: { region, deregisteredAt: { lt: new Date(now.getTime() - deregisteredVisibleMs) } } });
      await tx.deregisteredImage.create({ data: { imageId, accountId, region, deregisteredAt: now, image } });
      await tx.image.deleteMany({ where: { accountId, region, imageId } });
      await deleteTags(tx, { region }, [imageId]);
      return true;
    });
  }

  /** The images of the region deregistered after `since`, as they were (their owner's tags only). */
  async deregisteredSince(region: string, since: Date): Promise<Image[]> {
    // On the synchronous connection when there is one (every DescribeImages asks): dates are ISO text of one width
    // and offset (src/store/sql.ts), so they compare as text.
    const rows = this.cache
      ? this.cache.sql
          .all<{ image: string; deregisteredAt: string }>(
            'SELECT "image", "deregisteredAt" FROM "DeregisteredImage" WHERE "region" = ? AND "deregisteredAt" > ? ORDER BY "imageId"',
            region,
            since,
          )
          .map((row) => ({ image: row.image, deregisteredAt: new Date(row.deregisteredAt) }))
      : await this.prisma.deregisteredImage.findMany({ where: { region, deregisteredAt: { gt: since } }, orderBy: { imageId: "asc" } });
    return rows.map((row) => {
      const image = JSON.parse(row.image) as Image;
      return { ...image, createdAt: new Date(image.createdAt), availableAt: new Date(image.availableAt), deregisteredAt: row.deregisteredAt };
    });
  }

  async findSnapshot(region: string, snapshotId: string): Promise<Snapshot | undefined> {
    if (this.cache) {
      const sql = this.cache.sql;
      return this.cache.snapshots.get(`${region}/${snapshotId}`, () => findSnapshotSync(sql, region, snapshotId));
    }
    return findSnapshot(this.prisma, region, snapshotId);
  }

  /** The seeded catalog: inserts what is missing, in one transaction, and leaves what exists alone. */
  async seed(snapshots: Snapshot[], images: Image[]): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const existing = new Set(
        (await tx.image.findMany({ where: { imageId: { in: images.map((i) => i.imageId) } }, select: { imageId: true } })).map((r) => r.imageId),
      );
      const existingSnapshots = new Set(
        (await tx.snapshot.findMany({ where: { snapshotId: { in: snapshots.map((s) => s.snapshotId) } }, select: { snapshotId: true } })).map(
          (r) => r.snapshotId,
        ),
      );
      // One statement a table, not a create a row: through Prisma's query interpreter a create cost more than its
      // row, and a first start seeds thirty regions (1,300 rows: 5 s of CPU, most of the test suite's setup).
      const newSnapshots = snapshots.filter((snapshot) => !existingSnapshots.has(snapshot.snapshotId));
      if (newSnapshots.length) await tx.snapshot.createMany({ data: newSnapshots.map(snapshotToRow) });
      const newImages = images.filter((image) => !existing.has(image.imageId));
      // The catalog's images are public, without launch permissions to create beside them (createMany takes none).
      const withoutPermissions = newImages.filter((image) => image.launchPermissions.length === 0);
      if (withoutPermissions.length) {
        const rows = withoutPermissions.map((image) => {
          const { launchPermissions: _none, ...row } = imageToRow(image);
          return row;
        });
        await tx.image.createMany({ data: rows });
      }
      for (const image of newImages.filter((image) => image.launchPermissions.length > 0)) await tx.image.create({ data: imageToRow(image) });
      return newImages.length;
    });
  }
}

/** The image columns asked for, and its launch permissions as one column (rows/image.ts reads them). */
function selectImages(columns: readonly string[]): string {
  return `SELECT ${columns.map((column) => `i."${column}"`).join(", ")}, (SELECT group_concat(p."accountId") FROM "ImageLaunchPermission" p WHERE p."imageId" = i."imageId") AS "launchPermissions" FROM "Image" i`;
}
