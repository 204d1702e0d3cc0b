// EBS snapshots: the record every layer passes around. A snapshot carries the guest model of the disk it froze.
import type { GuestModel } from "./guest.js";

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
  completesAt: Date;
  guest: GuestModel;
}

/** Who may make volumes and images from a snapshot: its owner, and everyone when it is public. */
export function canUseSnapshot(snapshot: Pick<Snapshot, "accountId" | "public">, accountId: string): boolean {
  return snapshot.accountId === accountId || snapshot.public;
}
