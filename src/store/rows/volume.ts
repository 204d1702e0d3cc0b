// The Volume table's one codec: a volume and its attachment as a row (the attachment lives on the row: a volume has
// at most one), and back. `guest` is the disk's guest model as JSON, null for a blank disk.
import type { GuestModel } from "../../domain/guest.js";
import type { Tag } from "../../domain/tags.js";
import type { Volume, VolumeType } from "../../domain/volumes.js";
import type { Volume as VolumeRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { VolumeRow };

export const volumeColumns = new SqliteColumns<VolumeRow>("Volume", {
  dates: { createdAt: true, availableAt: true, attachTime: true, attachedAt: true, detachAt: true },
  booleans: { encrypted: true, deleteOnTermination: true },
});

export function volumeToRow(volume: Volume): VolumeRow {
  const { attachment, tags: _tags, guest, iops, throughput, snapshotId, kmsKeyId, ...rest } = volume;
  return {
    ...rest,
    kmsKeyId: kmsKeyId ?? null,
    iops: iops ?? null,
    throughput: throughput ?? null,
    snapshotId: snapshotId ?? null,
    guest: guest ? JSON.stringify(guest) : null,
    instanceId: attachment?.instanceId ?? null,
    device: attachment?.device ?? null,
    attachTime: attachment?.attachTime ?? null,
    attachedAt: attachment?.attachedAt ?? null,
    detachAt: attachment?.detachAt ?? null,
    deleteOnTermination: attachment?.deleteOnTermination ?? false,
  };
}

export function volumeFromRow(row: VolumeRow, tags: Tag[]): Volume {
  const { instanceId, device, attachTime, attachedAt, detachAt, deleteOnTermination, guest, iops, throughput, snapshotId, volumeType, kmsKeyId, ...rest } = row;
  return {
    ...rest,
    ...(kmsKeyId !== null ? { kmsKeyId } : {}),
    volumeType: volumeType as VolumeType,
    ...(iops !== null ? { iops } : {}),
    ...(throughput !== null ? { throughput } : {}),
    ...(snapshotId !== null ? { snapshotId } : {}),
    ...(guest !== null ? { guest: JSON.parse(guest) as GuestModel } : {}),
    ...(instanceId !== null
      ? {
          attachment: { instanceId, device: device!, attachTime: attachTime!, attachedAt: attachedAt!, deleteOnTermination, ...(detachAt ? { detachAt } : {}) },
        }
      : {}),
    tags,
  };
}
