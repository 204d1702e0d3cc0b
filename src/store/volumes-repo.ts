// EBS volumes, their attachments and their modifications, always within one account and region: every write of the
// Volume and VolumeAttachment tables. The functions that take a `Db` join the caller's Prisma transaction; the *Sync
// ones run inside a write transaction of the synchronous connection, where RunInstances creates and attaches root
// volumes with the instance and TerminateInstances releases them.
import type { Scope } from "../domain/caller.js";
import type { GuestModel } from "../domain/guest.js";
import type { AttachedVolume, Attachment, InstanceVolume, Modification, ModifiedSpec, Volume, VolumeType } from "../domain/volumes.js";
import type { PrismaClient, VolumeModification as ModificationRow } from "./generated/client.js";
import { attachmentFromRow, attachmentToRow, type VolumeAttachmentRow, volumeAttachmentColumns } from "./rows/volume-attachment.js";
import { type VolumeRow, volumeColumns, volumeFieldsFromRow, volumeFromRow, volumeToRow } from "./rows/volume.js";
import { type Db, scopeWhere } from "./scope.js";
import { placeholders, type Sql } from "./sql.js";
import { deleteTags, deleteTagsSync, insertTags, insertTagsSync, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, keepListed } from "./bound-ids.js";

/** Stores a volume, its attachments (a launch's root volume has one) and its tags. */
export async function insertVolume(db: Db, volume: Volume): Promise<void> {
  await db.volume.create({ data: volumeToRow(volume) });
  for (const attachment of volume.attachments) await db.volumeAttachment.create({ data: attachmentToRow(volume.volumeId, attachment) });
  await insertTags(db, tagOwner(volume), volume.tags);
}

/** The launch's hot path: one insert for the volume and one per attachment, besides its tags. */
export function insertVolumeSync(sql: Sql, volume: Volume): void {
  sql.insert(volumeColumns.table, volumeToRow(volume));
  for (const attachment of volume.attachments) sql.insert(volumeAttachmentColumns.table, attachmentToRow(volume.volumeId, attachment));
  insertTagsSync(sql, tagOwner(volume), volume.tags);
}

const tagOwner = (volume: Volume) => ({ resourceId: volume.volumeId, resourceType: "volume", accountId: volume.accountId, region: volume.region });

/** An attachment that stands at `now`: not detached, or still detaching. */
const liveAt = (now: Date) => ({ OR: [{ detachAt: null }, { detachAt: { gt: now } }] });

/** The volumes attached (or attaching, or still detaching) to an instance, each with that attachment. */
export async function volumesOfInstance(db: Db, scope: Scope, instanceId: string, now: Date): Promise<AttachedVolume[]> {
  const rows = await db.volumeAttachment.findMany({
    where: { instanceId, ...liveAt(now), volume: scopeWhere(scope) },
    include: { volume: true },
    orderBy: { attachTime: "asc" },
  });
  return rows.map(({ volume, ...attachment }) => ({ ...volumeFieldsFromRow(volume), attachment: attachmentFromRow(attachment), tags: [] }));
}

export function volumesOfInstanceSync(sql: Sql, scope: Scope, instanceId: string, now: Date): AttachedVolume[] {
  const rows = sql.all(
    `SELECT v.*, ${attachmentColumns} FROM "VolumeAttachment" a JOIN "Volume" v ON v."volumeId" = a."volumeId"
     WHERE a."instanceId" = ? AND v."accountId" = ? AND v."region" = ? AND (a."detachAt" IS NULL OR a."detachAt" > ?) ORDER BY a."attachTime"`,
    instanceId,
    scope.accountId,
    scope.region,
    now,
  );
  return rows.map(attachedVolumeFromJoin);
}

/**
 * The volumes attached to these instances, as their block device lists show them: the attachment and the four
 * volume columns DescribeInstances reads (a hundred instances a page). Sorted here, per instance, rather than by
 * SQLite, whose ORDER BY built a temporary tree for the whole page.
 */
export function instanceVolumesSync(sql: Sql, scope: Scope, instanceIds: readonly string[]): Map<string, InstanceVolume[]> {
  const byInstance = new Map<string, InstanceVolume[]>();
  const rows = sql.all<Omit<VolumeAttachmentRow, "volumeId"> & Pick<VolumeRow, "volumeId" | "size" | "volumeType" | "snapshotId">>(
    // CROSS JOIN keeps SQLite on the attachments' instanceId index, the volume read by its key: left to choose, it
    // walked every volume of the account and probed each against the whole IN list (5 s for a page of 1000).
    `SELECT v."volumeId", v."size", v."volumeType", v."snapshotId", ${attachmentColumns} FROM "VolumeAttachment" a CROSS JOIN "Volume" v ON v."volumeId" = a."volumeId"
     WHERE a."instanceId" IN (${placeholders(instanceIds.length)}) AND v."accountId" = ? AND v."region" = ?`,
    ...instanceIds,
    scope.accountId,
    scope.region,
  );
  for (const row of rows) {
    const { volumeId, size, volumeType, snapshotId } = row;
    const volume: InstanceVolume = {
      volumeId,
      size,
      volumeType: volumeType as VolumeType,
      attachment: attachmentFromRow(volumeAttachmentColumns.fromSqlite(row)),
    };
    if (snapshotId !== null) volume.snapshotId = snapshotId;
    const list = byInstance.get(volume.attachment.instanceId);
    if (list) list.push(volume);
    else byInstance.set(volume.attachment.instanceId, [volume]);
  }
  for (const list of byInstance.values()) if (list.length > 1) list.sort(byAttachTime);
  return byInstance;
}

/** Attach time, then volume id: the order EC2 lists an instance's block devices in. */
const byAttachTime = (a: InstanceVolume, b: InstanceVolume) =>
  a.attachment.attachTime.getTime() - b.attachment.attachTime.getTime() || (a.volumeId < b.volumeId ? -1 : a.volumeId > b.volumeId ? 1 : 0);

/** The attachment's columns in a join with Volume (which shares only volumeId with it, read from the volume). */
const attachmentKeys = Object.keys({
  instanceId: true,
  device: true,
  attachTime: true,
  attachedAt: true,
  detachAt: true,
  deleteOnTermination: true,
} satisfies Record<Exclude<keyof VolumeAttachmentRow, "volumeId">, true>);
const attachmentColumns = attachmentKeys.map((column) => `a."${column}"`).join(", ");

/** A joined raw row split into the volume and its attachment to the row's instance. */
function attachedVolumeFromJoin(raw: Record<string, unknown>): AttachedVolume {
  const attachment = attachmentFromRow(volumeAttachmentColumns.fromSqlite({ ...raw }));
  for (const key of attachmentKeys) delete raw[key];
  return { ...volumeFieldsFromRow(volumeColumns.fromSqlite(raw)), attachment, tags: [] };
}

/**
 * What TerminateInstances does to an instance's volumes, inside its write transaction on the synchronous
 * connection: deletes those marked DeleteOnTermination (with their tags and modifications) and detaches the others
 * at `detachAt`. A Multi-Attach volume still attached to another instance is only detached: EC2 deletes it with the
 * last attached instance terminated, when that one's attachment says so.
 */
export function releaseInstanceVolumes(sql: Sql, scope: Scope, instanceId: string, detachAt: Date): { deleted: string[]; detached: string[] } {
  const rows = sql.all<{ volumeId: string; deleteOnTermination: number; others: number }>(
    `SELECT a."volumeId", a."deleteOnTermination",
       (SELECT COUNT(*) FROM "VolumeAttachment" o WHERE o."volumeId" = a."volumeId" AND o."instanceId" <> a."instanceId" AND (o."detachAt" IS NULL OR o."detachAt" > ?)) AS "others"
     FROM "VolumeAttachment" a JOIN "Volume" v ON v."volumeId" = a."volumeId"
     WHERE a."instanceId" = ? AND v."accountId" = ? AND v."region" = ? AND a."detachAt" IS NULL`,
    detachAt,
    instanceId,
    scope.accountId,
    scope.region,
  );
  const goes = (row: (typeof rows)[number]) => row.deleteOnTermination === 1 && row.others === 0;
  const deleted = rows.filter(goes).map((row) => row.volumeId);
  const detached = rows.filter((row) => !goes(row)).map((row) => row.volumeId);
  for (const volumeId of deleted) {
    // The volume's attachments go with it (ON DELETE CASCADE).
    sql.run('DELETE FROM "Volume" WHERE "volumeId" = ?', volumeId);
    sql.run('DELETE FROM "VolumeModification" WHERE "volumeId" = ?', volumeId);
    deleteTagsSync(sql, scope.region, volumeId);
  }
  for (const volumeId of detached) {
    sql.run('UPDATE "VolumeAttachment" SET "detachAt" = ? WHERE "volumeId" = ? AND "instanceId" = ?', detachAt, volumeId, instanceId);
  }
  return { deleted, detached };
}

/** ModifyInstanceAttribute's BlockDeviceMapping: whether the volume attached at `device` goes with the instance. */
export function setDeleteOnTerminationSync(sql: Sql, scope: Scope, instanceId: string, device: string, deleteOnTermination: boolean): boolean {
  return (
    sql.run(
      `UPDATE "VolumeAttachment" SET "deleteOnTermination" = ? WHERE "instanceId" = ? AND "device" = ? AND "detachAt" IS NULL
       AND "volumeId" IN (SELECT "volumeId" FROM "Volume" WHERE "accountId" = ? AND "region" = ?)`,
      deleteOnTermination,
      instanceId,
      device,
      scope.accountId,
      scope.region,
    ) > 0
  );
}

async function deleteVolumeRows(db: Db, scope: Scope, volumeIds: string[]): Promise<void> {
  if (volumeIds.length === 0) return;
  await db.volume.deleteMany({ where: { ...scopeWhere(scope), volumeId: { in: volumeIds } } });
  await db.volumeModification.deleteMany({ where: { ...scopeWhere(scope), volumeId: { in: volumeIds } } });
  await deleteTags(db, { region: scope.region }, volumeIds);
}

export class VolumesRepo {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(volume: Volume): Promise<void> {
    await this.prisma.$transaction((tx) => insertVolume(tx, volume));
  }

  /** The scope's volumes (all, or these ids), ordered by id, with their attachments and tags. */
  async list(scope: Scope, volumeIds?: readonly string[]): Promise<Volume[]> {
    const found = await this.prisma.volume.findMany({
      where: { ...scopeWhere(scope), ...(volumeIds?.length && fitsOneStatement(volumeIds) ? { volumeId: { in: [...volumeIds] } } : {}) },
      include: { attachments: true },
      orderBy: { volumeId: "asc" },
    });
    const rows = keepListed(found, volumeIds, (row) => row.volumeId);
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "volume",
      rows.map((row) => row.volumeId),
    );
    return rows.map(({ attachments, ...row }) => volumeFromRow(row, attachments.map(attachmentFromRow), tags.get(row.volumeId) ?? []));
  }

  /** One volume of the scope, with its attachments (without its tags). */
  async find(scope: Scope, volumeId: string): Promise<Volume | undefined> {
    const found = await this.prisma.volume.findFirst({ where: { ...scopeWhere(scope), volumeId }, include: { attachments: true } });
    if (!found) return undefined;
    const { attachments, ...row } = found;
    return volumeFromRow(row, attachments.map(attachmentFromRow), []);
  }

  /**
   * AttachVolume in one transaction, checked against the attachments as they stand then: "device-busy" when
   * `deviceTaken` says a live attachment of the instance holds the slot; "already-attached" when the volume is
   * attached to that instance; "volume-busy" when it already has `maxAttachments` live ones (1, or 16 for
   * Multi-Attach). Else the attachment is stored, replacing a finished one of the same pair.
   */
  async attach(
    scope: Scope,
    volumeId: string,
    attachment: Attachment,
    maxAttachments: number,
    deviceTaken: (device: string) => boolean,
  ): Promise<"attached" | "volume-busy" | "already-attached" | "device-busy"> {
    return this.prisma.$transaction(async (tx) => {
      const onInstance = await volumesOfInstance(tx, scope, attachment.instanceId, attachment.attachTime);
      if (onInstance.some((volume) => volume.volumeId === volumeId)) return "already-attached";
      if (onInstance.some((volume) => deviceTaken(volume.attachment.device))) return "device-busy";
      const live = await tx.volumeAttachment.count({ where: { volumeId, volume: scopeWhere(scope), ...liveAt(attachment.attachTime) } });
      if (live >= maxAttachments) return "volume-busy";
      const row = attachmentToRow(volumeId, attachment);
      await tx.volumeAttachment.upsert({ where: { volumeId_instanceId: { volumeId, instanceId: attachment.instanceId } }, create: row, update: row });
      return "attached";
    });
  }

  /** Starts a detach that ends at `detachAt`; `force` also cuts short a detach already under way. False when not attached to that instance. */
  async detach(scope: Scope, volumeId: string, instanceId: string, detachAt: Date, force: boolean): Promise<boolean> {
    const { count } = await this.prisma.volumeAttachment.updateMany({
      where: { volumeId, instanceId, volume: scopeWhere(scope), ...(force ? liveAt(detachAt) : { detachAt: null }) },
      data: { detachAt },
    });
    return count === 1;
  }

  /** Replaces what the disk holds: a conversion step "running commands" on a helper changes the volume's guest. */
  async setGuest(scope: Scope, volumeId: string, guest: GuestModel): Promise<void> {
    await this.prisma.volume.updateMany({ where: { ...scopeWhere(scope), volumeId }, data: { guest: JSON.stringify(guest) } });
  }

  /** Deletes a volume that no attachment holds at `now` (checked in the transaction that deletes it); else why not. */
  async delete(scope: Scope, volumeId: string, now: Date): Promise<"deleted" | "missing" | { attachedTo: string }> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.volume.findFirst({ where: { ...scopeWhere(scope), volumeId }, select: { volumeId: true } });
      if (!row) return "missing";
      const holder = await tx.volumeAttachment.findFirst({ where: { volumeId, ...liveAt(now) }, orderBy: { attachTime: "asc" } });
      if (holder) return { attachedTo: holder.instanceId };
      await deleteVolumeRows(tx, scope, [volumeId]);
      return "deleted";
    });
  }

  /**
   * Records a modification and gives the volume its target values, unless another modification of it is still
   * unfinished at `modification.startTime`: then false, and nothing changes.
   */
  async modify(scope: Scope, modification: Modification): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const busy = await tx.volumeModification.count({
        where: { ...scopeWhere(scope), volumeId: modification.volumeId, completesAt: { gt: modification.startTime } },
      });
      if (busy > 0) return false;
      const { original: o, target: t } = modification;
      await tx.volumeModification.create({
        data: {
          ...scopeWhere(scope),
          modificationId: modification.modificationId,
          volumeId: modification.volumeId,
          originalSize: o.size,
          originalVolumeType: o.volumeType,
          originalIops: o.iops ?? null,
          originalThroughput: o.throughput ?? null,
          targetSize: t.size,
          targetVolumeType: t.volumeType,
          targetIops: t.iops ?? null,
          targetThroughput: t.throughput ?? null,
          originalMultiAttachEnabled: o.multiAttachEnabled,
          targetMultiAttachEnabled: t.multiAttachEnabled,
          startTime: modification.startTime,
          optimizingAt: modification.optimizingAt,
          completesAt: modification.completesAt,
        },
      });
      await tx.volume.updateMany({
        where: { ...scopeWhere(scope), volumeId: modification.volumeId },
        data: { size: t.size, volumeType: t.volumeType, iops: t.iops ?? null, throughput: t.throughput ?? null, multiAttachEnabled: t.multiAttachEnabled },
      });
      return true;
    });
  }

  /** The latest modification of each volume (all of the scope's, or of these ids). */
  async latestModifications(scope: Scope, volumeIds?: readonly string[]): Promise<Modification[]> {
    const found = await this.prisma.volumeModification.findMany({
      where: { ...scopeWhere(scope), ...(volumeIds?.length && fitsOneStatement(volumeIds) ? { volumeId: { in: [...volumeIds] } } : {}) },
      orderBy: [{ volumeId: "asc" }, { startTime: "desc" }],
    });
    const rows = keepListed(found, volumeIds, (row) => row.volumeId);
    const latest = new Map<string, ModificationRow>();
    for (const row of rows) if (!latest.has(row.volumeId)) latest.set(row.volumeId, row);
    return [...latest.values()].map(toModification);
  }
}

function toModification(row: ModificationRow): Modification {
  const spec = (volumeType: string, size: number, iops: number | null, throughput: number | null, multiAttachEnabled: boolean): ModifiedSpec => ({
    volumeType: volumeType as VolumeType,
    size,
    ...(iops !== null ? { iops } : {}),
    ...(throughput !== null ? { throughput } : {}),
    multiAttachEnabled,
  });
  return {
    modificationId: row.modificationId,
    volumeId: row.volumeId,
    original: spec(row.originalVolumeType, row.originalSize, row.originalIops, row.originalThroughput, row.originalMultiAttachEnabled),
    target: spec(row.targetVolumeType, row.targetSize, row.targetIops, row.targetThroughput, row.targetMultiAttachEnabled),
    startTime: row.startTime,
    optimizingAt: row.optimizingAt,
    completesAt: row.completesAt,
  };
}
