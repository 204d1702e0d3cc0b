// EBS snapshots: the record every layer passes around, and its state on the clock. A snapshot carries the guest
// model of the disk it froze; none when that disk was blank.
import { Errors } from "./errors.js";
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
  public: boolean;
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

/** Who may make volumes and images from a snapshot: its owner, and everyone when it is public. */
export function canUseSnapshot(snapshot: Pick<Snapshot, "accountId" | "public">, accountId: string): boolean {
  return snapshot.accountId === accountId || snapshot.public;
}

/** The snapshot found, if the account may use it; EC2's NotFound otherwise, so another's private one stays unseen. */
export function usableSnapshot(found: Snapshot | undefined, snapshotId: string, accountId: string): Snapshot {
  if (!found || !canUseSnapshot(found, accountId)) throw Errors.snapshotNotFound(snapshotId);
  return found;
}
