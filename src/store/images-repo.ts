// Images, their launch permissions and their tags; snapshots. Reads are scoped to a region and to what the
// caller may see; the JSON columns are parsed here, so callers get plain domain objects.
import type { TagNarrowing } from "../domain/filters.js";
import type { LaunchPermissionChange } from "../domain/image-attributes.js";
import { deregisteredVisibleMs, type Image } from "../domain/images.js";
import type { Snapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import { Prisma, type PrismaClient } from "./generated/client.js";
import { ReadCache } from "./read-cache.js";
import { imageColumns, imageFromRow, imageToRow } from "./rows/image.js";
import { findSnapshot, findSnapshotSync, insertSnapshot } from "./snapshots-repo.js";
import type { Sql } from "./sql.js";
import { deleteTags, insertTags, resourceIdsTagged, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, inChunks } from "./bound-ids.js";

export interface ImageNarrowing {
  imageIds?: string[];
  /** self, amazon, or account ids. */
  owners?: string[];
  /** Literal prefixes of the name patterns asked for. */
  nameStartsWith?: string[];
  /** Literal tag filters: only images the account tagged so are read. */
  tags?: TagNarrowing[];
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
   * The images of the region the account may see (its own, public ones, shared with it), with its own tags.
   * `narrow` only shrinks what is read: callers still apply their exact rules to the result.
   */
  async visible(accountId: string, region: string, narrow: ImageNarrowing = {}): Promise<Image[]> {
    const and: Prisma.ImageWhereInput[] = [{ OR: [{ accountId }, { public: true }, { launchPermissions: { some: { accountId } } }] }];
    // The service keeps exactly the listed images; a list too long to bind only narrows less.
    if (narrow.imageIds?.length && fitsOneStatement(narrow.imageIds)) and.push({ imageId: { in: narrow.imageIds } });
    if (narrow.owners?.length) {
      and.push({ OR: narrow.owners.map((owner) => (owner === "amazon" ? { ownerAlias: "amazon" } : { accountId: owner === "self" ? accountId : owner })) });
    }
    if (narrow.nameStartsWith?.length) and.push({ OR: narrow.nameStartsWith.map((prefix) => ({ name: { startsWith: prefix } })) });
    if (narrow.tags?.length) {
      const tagged = await resourceIdsTagged(this.prisma, { accountId, region }, "image", narrow.tags);
      if (fitsOneStatement([...tagged])) and.push({ imageId: { in: [...tagged] } });
    }
    const rows = await this.prisma.image.findMany({
      where: { region, AND: and },
      include: { launchPermissions: { select: { accountId: true } } },
      orderBy: { imageId: "asc" },
    });
    const tags = await tagsByResource(
      this.prisma,
      { accountId, region },
      "image",
      rows.map((row) => row.imageId),
    );
    return rows.map((row) => imageFromRow(row, tags.get(row.imageId) ?? []));
  }

  /** One image by id (every launch reads its image and kernel: on the synchronous connection when there is one). */
  async find(region: string, imageId: string): Promise<Image | undefined> {
    if (this.cache) {
      const sql = this.cache.sql;
      return this.cache.images.get(`${region}/${imageId}`, () => {
        const row = sql.get('SELECT * FROM "Image" WHERE "region" = ? AND "imageId" = ?', region, imageId);
        if (!row) return undefined;
        const launchPermissions = sql.all<{ accountId: string }>('SELECT "accountId" FROM "ImageLaunchPermission" WHERE "imageId" = ?', imageId);
        return imageFromRow({ ...imageColumns.fromSqlite(row), launchPermissions }, []);
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
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.image.create({ data: imageToRow(image) });
        await insertTags(tx, { resourceId: image.imageId, resourceType: "image", accountId: image.accountId, region: image.region }, image.tags);
        for (const snapshot of snapshots) await insertSnapshot(tx, snapshot, snapshotTags);
      });
      return "created";
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "duplicate";
      throw error;
    }
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
    const rows = await this.prisma.deregisteredImage.findMany({ where: { region, deregisteredAt: { gt: since } }, orderBy: { imageId: "asc" } });
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
      for (const snapshot of snapshots) {
        if (!existingSnapshots.has(snapshot.snapshotId)) await insertSnapshot(tx, snapshot, []);
      }
      let added = 0;
      for (const image of images) {
        if (existing.has(image.imageId)) continue;
        await tx.image.create({ data: imageToRow(image) });
        added++;
      }
      return added;
    });
  }
}
