// DescribeVolumes' and DescribeVolumesModifications' filter names, read as EC2 reports them at `now`.
import type { FilterSpec } from "../filters.js";
import { attachmentState, currentAttachment, type Modification, modificationState, reportedIops, type Volume, volumeState } from "../volumes.js";

export function volumeFilters(now: Date): FilterSpec<Volume> {
  const attached = (v: Volume) => currentAttachment(v, now);
  return {
    fields: {
      "attachment.attach-time": (v) => attached(v)?.attachTime.toISOString(),
      "attachment.delete-on-termination": (v) => attached(v)?.deleteOnTermination,
      "attachment.device": (v) => attached(v)?.device,
      "attachment.instance-id": (v) => attached(v)?.instanceId,
      "attachment.status": (v) => {
        const attachment = attached(v);
        return attachment ? attachmentState(attachment, now) : undefined;
      },
      "availability-zone": (v) => v.availabilityZone,
      "create-time": (v) => v.createdAt.toISOString(),
      encrypted: (v) => v.encrypted,
      iops: (v) => reportedIops(v),
      "multi-attach-enabled": () => false,
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
