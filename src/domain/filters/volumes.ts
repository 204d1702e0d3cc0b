// DescribeVolumes' and DescribeVolumesModifications' filter names, read as EC2 reports them at `now`.
import type { FilterSpec } from "../filters.js";
import { attachmentState, liveAttachments, type Modification, modificationState, reportedIops, type Volume, volumeState } from "../volumes.js";

export function volumeFilters(now: Date): FilterSpec<Volume> {
  // A Multi-Attach volume matches when any of its attachments does.
  const each = <T>(v: Volume, read: (attachment: Volume["attachments"][number]) => T): T[] | undefined => {
    const live = liveAttachments(v, now);
    return live.length > 0 ? live.map(read) : undefined;
  };
  return {
    fields: {
      "attachment.attach-time": (v) => each(v, (a) => a.attachTime.toISOString()),
      "attachment.delete-on-termination": (v) => each(v, (a) => String(a.deleteOnTermination)),
      "attachment.device": (v) => each(v, (a) => a.device),
      "attachment.instance-id": (v) => each(v, (a) => a.instanceId),
      "attachment.status": (v) => each(v, (a) => attachmentState(a, now)),
      "availability-zone": (v) => v.availabilityZone,
      "create-time": (v) => v.createdAt.toISOString(),
      encrypted: (v) => v.encrypted,
      iops: (v) => reportedIops(v),
      "multi-attach-enabled": (v) => v.multiAttachEnabled,
      size: (v) => v.size,
      "snapshot-id": (v) => v.snapshotId,
      status: (v) => volumeState(v, now),
      throughput: (v) => v.throughput,
      "volume-id": (v) => v.volumeId,
      "volume-type": (v) => v.volumeType,
    },
    tags: (v) => v.tags,
  };
}

export function modificationFilters(now: Date): FilterSpec<Modification> {
  return {
    fields: {
      "modification-state": (m) => modificationState(m, now),
      "original-iops": (m) => reportedIops(m.original),
      "original-size": (m) => m.original.size,
      "original-volume-type": (m) => m.original.volumeType,
      "start-time": (m) => m.startTime.toISOString(),
      "target-iops": (m) => reportedIops(m.target),
      "target-size": (m) => m.target.size,
      "target-volume-type": (m) => m.target.volumeType,
      "volume-id": (m) => m.volumeId,
    },
  };
}
