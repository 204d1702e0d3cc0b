// EBS snapshots: the record every layer passes around, and its state on the clock. A snapshot carries the guest
// model of the disk it froze; none when that disk was blank.
import { Errors } from "./errors.js";
import { newId } from "./ids.js";
import type { GuestModel } from "./guest.js";
import type { Tag } from "./tags.js";
import { linearProgress } from "./volumes.js";

export interface Snapshot {
  snapshotId: string;
  accountId: string;
  region: string;
  ownerAlias?: string;
  volumeId?: string;
  volumeSize: number;
  description: string;
  encrypted: boolean;
  /** createVolumePermission's Group=all. */
  public: boolean;
  /** createVolumePermission's UserIds: the accounts, besides the owner, that may use the snapshot. */
  createVolumePermissions: string[];
  startTime: Date;
  /** pending until then, completed after; progress runs linearly in between. */
  completesAt: Date;
  /** Absent: the snapshot of a blank volume. */
  guest?: GuestModel;
}

/** A snapshot as one account describes it: with the tags that account put on it. */
export type TaggedSnapshot = Snapshot & { tags: Tag[] };

export type SnapshotState = "pending" | "completed";

export function snapshotState(snapshot: Pick<Snapshot, "completesAt">, now: Date): SnapshotState {
  return now.getTime() >= snapshot.completesAt.getTime() ? "completed" : "pending";
}

/** EC2's Progress string, "0%" to "100%". */
export function snapshotProgress(snapshot: Pick<Snapshot, "startTime" | "completesAt">, now: Date): string {
  return `${linearProgress(snapshot.startTime, snapshot.completesAt, now)}%`;
}

/**
 * Who may see a snapshot and make volumes, copies and images from it: its owner, the accounts its createVolumePermission
 * names, and everyone when it is public. Every path that takes a snapshot id asks this (through usableSnapshot).
 */
export function canUseSnapshot(snapshot: Pick<Snapshot, "accountId" | "public" | "createVolumePermissions">, accountId: string): boolean {
  return snapshot.accountId === accountId || snapshot.public || snapshot.createVolumePermissions.includes(accountId);
}

/**
 * DescribeSnapshots' RestorableBy, as EC2 documents it: `all` the public snapshots, `self` those the caller owns or
 * is named in, and another account's id the caller's own snapshots that name it.
 */
export function isRestorableBy(snapshot: Pick<Snapshot, "accountId" | "public" | "createVolumePermissions">, user: string, callerAccountId: string): boolean {
  if (user === "all") return snapshot.public;
  if (user === "self" || user === callerAccountId) return snapshot.accountId === callerAccountId || snapshot.createVolumePermissions.includes(callerAccountId);
  return snapshot.accountId === callerAccountId && snapshot.createVolumePermissions.includes(user);
}

/** The snapshot found, if the account may use it; EC2's NotFound otherwise, so another's private one stays unseen. */
export function usableSnapshot(found: Snapshot | undefined, snapshotId: string, accountId: string): Snapshot {
  if (!found || !canUseSnapshot(found, accountId)) throw Errors.snapshotNotFound(snapshotId);
  return found;
}

/**
 * A new snapshot of the owner's: private, pending from `startTime` until `completesAt`, carrying the disk (guest)
 * of the volume or snapshot it is taken from. CreateSnapshot(s), CopySnapshot, CreateImage and CopyImage all make
 * them this way.
 */
export function newSnapshot(
  owner: { accountId: string; region: string },
  fields: Pick<Snapshot, "volumeSize" | "description" | "encrypted"> & Partial<Pick<Snapshot, "volumeId" | "guest">>,
  times: { startTime: Date; completesAt: Date },
): Snapshot {
  const { guest, ...rest } = fields;
  return {
    snapshotId: newId("snap"),
    accountId: owner.accountId,
    region: owner.region,
    public: false,
    createVolumePermissions: [],
    ...times,
    ...rest,
    ...(guest ? { guest } : {}),
  };
}
