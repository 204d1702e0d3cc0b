// EBS volumes, their attachment and their modifications, always within one account and region: every write of the
// Volume table. The functions that take a `Db` join the caller's Prisma transaction; the *Sync ones run inside a
// write transaction of the synchronous connection, where RunInstances creates and attaches root volumes with the
// instance and TerminateInstances releases them.
import type { Scope } from "../domain/caller.js";
import type { GuestModel } from "../domain/guest.js";
import type { Attachment, Modification, Volume, VolumeSpec, VolumeType } from "../domain/volumes.js";
import type { PrismaClient, VolumeModification as ModificationRow } from "./generated/client.js";
import { type VolumeRow, volumeColumns, volumeFromRow, volumeToRow } from "./rows/volume.js";
import { type Db, scopeWhere } from "./scope.js";
import { placeholders, type Sql } from "./sql.js";
import { deleteTags, deleteTagsSync, insertTags, insertTagsSync, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, keepListed } from "./bound-ids.js";

/** Stores a volume (with its attachment, if any) and its tags. */
export async function insertVolume(db: Db, volume: Volume): Promise<void> {
  await db.volume.create({ data: volumeToRow(volume) });
  await insertTags(db, tagOwner(volume), volume.tags);
}

export function insertVolumeSync(sql: Sql, volume: Volume): void {
  sql.insert(volumeColumns.table, volumeToRow(volume));
  insertTagsSync(sql, tagOwner(volume), volume.tags);
}

const tagOwner = (volume: Volume) => ({ resourceId: volume.volumeId, resourceType: "volume", accountId: volume.accountId, region: volume.region });

/** A volume is free to attach when it has no attachment, or its last detach has finished by `now`. */
const free = (now: Date) => ({ OR: [{ instanceId: null }, { detachAt: { lte: now } }] });

/**
 * Attaches a volume, with a conditional UPDATE: false when it is not the scope's, or is still attached or
 * detaching at `attachment.attachTime`. The caller checks zone and state first and turns false into VolumeInUse.
 */
export async function attachVolume(db: Db, scope: Scope, volumeId: string, attachment: Attachment): Promise<boolean> {
  const { count } = await db.volume.updateMany({
    where: { ...scopeWhere(scope), volumeId, ...free(attachment.attachTime) },
    data: {
      instanceId: attachment.instanceId,
      device: attachment.device,
      attachTime: attachment.attachTime,
      attachedAt: attachment.attachedAt,
      detachAt: null,
      deleteOnTermination: attachment.deleteOnTermination,
    },
  });
  return count === 1;
}

/** Starts a detach that finishes at `detachAt`; false when the volume is not attached to that instance. */
export async function detachVolume(db: Db, scope: Scope, volumeId: string, instanceId: string, detachAt: Date): Promise<boolean> {
  const { count } = await db.volume.updateMany({ where: { ...scopeWhere(scope), volumeId, instanceId, detachAt: null }, data: { detachAt } });
  return count === 1;
}

/** The volumes attached (or attaching, or still detaching) to an instance. */
export async function volumesOfInstance(db: Db, scope: Scope, instanceId: string, now: Date): Promise<Volume[]> {
  const rows = await db.volume.findMany({
    where: { ...scopeWhere(scope), instanceId, OR: [{ detachAt: null }, { detachAt: { gt: now } }] },
    orderBy: { attachTime: "asc" },
  });
  return rows.map((row) => volumeFromRow(row, []));
}

export function volumesOfInstanceSync(sql: Sql, scope: Scope, instanceId: string, now: Date): Volume[] {
  const rows = sql.all(
    'SELECT * FROM "Volume" WHERE "accountId" = ? AND "region" = ? AND "instanceId" = ? AND ("detachAt" IS NULL OR "detachAt" > ?) ORDER BY "attachTime"',
    scope.accountId,
    scope.region,
    instanceId,
    now,
  );
  return rows.map((row) => volumeFromRow(volumeColumns.fromSqlite(row), []));
}

/**
 * Every volume attached to these instances (or detaching from them), by instance id, in attach order; without the
 * guest model, which block device mappings do not show and which is most of a row.
 */
export function attachedVolumesSync(sql: Sql, scope: Scope, instanceIds: readonly string[]): Map<string, Volume[]> {
  const byInstance = new Map<string, Volume[]>();
  // The unary + keeps SQLite on the instanceId index; by (account, region) it would read every volume.
  const rows = sql.all(
    `SELECT ${attachedVolumeColumns} FROM "Volume" WHERE +"accountId" = ? AND +"region" = ? AND "instanceId" IN (${placeholders(instanceIds.length)}) ORDER BY "attachTime", "volumeId"`,
    scope.accountId,
    scope.region,
    ...instanceIds,
  );
  for (const row of rows) {
    const volume = volumeFromRow(volumeColumns.fromSqlite(row), []);
    const instanceId = volume.attachment!.instanceId;
    const list = byInstance.get(instanceId);
    if (list) list.push(volume);
    else byInstance.set(instanceId, [volume]);
  }
  return byInstance;
}

/** Every column but the guest model, checked against the schema's: a new column must be read here too. */
const attachedVolumeColumns = `${Object.keys({
  volumeId: true,
  accountId: true,
  region: true,
  availabilityZone: true,
  size: true,
  volumeType: true,
  iops: true,
  throughput: true,
  encrypted: true,
  snapshotId: true,
  createdAt: true,
  availableAt: true,
  instanceId: true,
  device: true,
  attachTime: true,
  attachedAt: true,
  detachAt: true,
  deleteOnTermination: true,
  kmsKeyId: true,
} satisfies Record<Exclude<keyof VolumeRow, "guest">, true>)
  .map((column) => `"${column}"`)
  .join(", ")}, NULL AS "guest"`;

/**
 * What TerminateInstances does to an instance's volumes, inside its write transaction on the synchronous
 * connection: deletes those marked DeleteOnTermination (with their tags and modifications) and detaches the others
 * at `detachAt`.
 */
export function releaseInstanceVolumes(sql: Sql, scope: Scope, instanceId: string, detachAt: Date): { deleted: string[]; detached: string[] } {
  const rows = sql.all<{ volumeId: string; deleteOnTermination: number }>(
    'SELECT "volumeId", "deleteOnTermination" FROM "Volume" WHERE "accountId" = ? AND "region" = ? AND "instanceId" = ? AND "detachAt" IS NULL',
    scope.accountId,
    scope.region,
    instanceId,
  );
  const deleted = rows.filter((row) => row.deleteOnTermination).map((row) => row.volumeId);
  const detached = rows.filter((row) => !row.deleteOnTermination).map((row) => row.volumeId);
  for (const volumeId of deleted) {
    sql.run('DELETE FROM "Volume" WHERE "volumeId" = ?', volumeId);
    sql.run('DELETE FROM "VolumeModification" WHERE "volumeId" = ?', volumeId);
    deleteTagsSync(sql, scope.region, volumeId);
  }
  for (const volumeId of detached) sql.run('UPDATE "Volume" SET "detachAt" = ? WHERE "volumeId" = ?', detachAt, volumeId);
  return { deleted, detached };
}

/** ModifyInstanceAttribute's BlockDeviceMapping: whether the volume attached at `device` goes with the instance. */
export function setDeleteOnTerminationSync(sql: Sql, scope: Scope, instanceId: string, device: string, deleteOnTermination: boolean): boolean {
  return (
    sql.run(
      'UPDATE "Volume" SET "deleteOnTermination" = ? WHERE "accountId" = ? AND "region" = ? AND "instanceId" = ? AND "device" = ? AND "detachAt" IS NULL',
      deleteOnTermination,
      scope.accountId,
      scope.region,
      instanceId,
      device,
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

  /** The scope's volumes (all, or these ids), ordered by id, with their tags. */
  async list(scope: Scope, volumeIds?: readonly string[]): Promise<Volume[]> {
    const found = await this.prisma.volume.findMany({
      where: { ...scopeWhere(scope), ...(volumeIds?.length && fitsOneStatement(volumeIds) ? { volumeId: { in: [...volumeIds] } } : {}) },
      orderBy: { volumeId: "asc" },
    });
    const rows = keepListed(found, volumeIds, (row) => row.volumeId);
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "volume",
      rows.map((row) => row.volumeId),
    );
    return rows.map((row) => volumeFromRow(row, tags.get(row.volumeId) ?? []));
  }

  async find(scope: Scope, volumeId: string): Promise<Volume | undefined> {
    const row = await this.prisma.volume.findFirst({ where: { ...scopeWhere(scope), volumeId } });
    return row ? volumeFromRow(row, []) : undefined;
  }

  /**
   * AttachVolume in one transaction: refused with "device-busy" when `deviceTaken` says a live attachment of the
   * instance holds the slot, with "volume-busy" when the volume is not free (the conditional update of attachVolume).
   */
  async attach(
    scope: Scope,
    volumeId: string,
    attachment: Attachment,
    deviceTaken: (device: string) => boolean,
  ): Promise<"attached" | "volume-busy" | "device-busy"> {
    return this.prisma.$transaction(async (tx) => {
      const live = await volumesOfInstance(tx, scope, attachment.instanceId, attachment.attachTime);
      if (live.some((volume) => deviceTaken(volume.attachment!.device))) return "device-busy";
      return (await attachVolume(tx, scope, volumeId, attachment)) ? "attached" : "volume-busy";
    });
  }

  /** Starts a detach that ends at `detachAt`; `force` also cuts short a detach already under way. False when not attached to that instance. */
  async detach(scope: Scope, volumeId: string, instanceId: string, detachAt: Date, force: boolean): Promise<boolean> {
    if (!force) return detachVolume(this.prisma, scope, volumeId, instanceId, detachAt);
    const { count } = await this.prisma.volume.updateMany({
      where: { ...scopeWhere(scope), volumeId, instanceId, OR: [{ detachAt: null }, { detachAt: { gt: detachAt } }] },
      data: { detachAt },
    });
    return count === 1;
  }

  /** Replaces what the disk holds: a conversion step "running commands" on a helper changes the volume's guest. */
  async setGuest(scope: Scope, volumeId: string, guest: GuestModel): Promise<void> {
    await this.prisma.volume.updateMany({ where: { ...scopeWhere(scope), volumeId }, data: { guest: JSON.stringify(guest) } });
  }

  /** Deletes a volume that is free at `now` (conditionally, so an attach cannot slip in between); else why not. */
  async delete(scope: Scope, volumeId: string, now: Date): Promise<"deleted" | "missing" | { attachedTo: string }> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.volume.findFirst({ where: { ...scopeWhere(scope), volumeId }, select: { instanceId: true, detachAt: true } });
      if (!row) return "missing";
      const { count } = await tx.volume.deleteMany({ where: { ...scopeWhere(scope), volumeId, ...free(now) } });
      if (count === 0) return { attachedTo: row.instanceId! };
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
          startTime: modification.startTime,
          optimizingAt: modification.optimizingAt,
          completesAt: modification.completesAt,
        },
      });
      await tx.volume.updateMany({
        where: { ...scopeWhere(scope), volumeId: modification.volumeId },
        data: { size: t.size, volumeType: t.volumeType, iops: t.iops ?? null, throughput: t.throughput ?? null },
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
  const spec = (volumeType: string, size: number, iops: number | null, throughput: number | null): VolumeSpec => ({
    volumeType: volumeType as VolumeType,
    size,
    ...(iops !== null ? { iops } : {}),
    ...(throughput !== null ? { throughput } : {}),
  });
  return {
    modificationId: row.modificationId,
    volumeId: row.volumeId,
    original: spec(row.originalVolumeType, row.originalSize, row.originalIops, row.originalThroughput),
    target: spec(row.targetVolumeType, row.targetSize, row.targetIops, row.targetThroughput),
    startTime: row.startTime,
    optimizingAt: row.optimizingAt,
    completesAt: row.completesAt,
  };
}
