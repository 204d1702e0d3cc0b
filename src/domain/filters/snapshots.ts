// DescribeSnapshots' filter names, read as EC2 reports a snapshot at `now`.
import type { FilterSpec } from "../filters.js";
import { type Snapshot, snapshotProgress, snapshotState } from "../snapshots.js";
import type { Tag } from "../tags.js";

export function snapshotFilters(now: Date): FilterSpec<Snapshot & { tags: readonly Tag[] }> {
  return {
    fields: {
      description: (s) => s.description,
      encrypted: (s) => s.encrypted,
      "owner-alias": (s) => s.ownerAlias,
      "owner-id": (s) => s.accountId,
      progress: (s) => snapshotProgress(s, now),
      "snapshot-id": (s) => s.snapshotId,
      "start-time": (s) => s.startTime.toISOString(),
      status: (s) => snapshotState(s, now),
      "storage-tier": () => "standard",
      "volume-id": (s) => s.volumeId,
      "volume-size": (s) => s.volumeSize,
    },
    tags: (s) => s.tags,
  };
}
