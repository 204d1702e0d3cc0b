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

/** The columns volumeFromRow turns into optional fields or the attachment; every other column is copied as it is. */
const shapedColumns = new Set<string>([
  "instanceId",
  "device",
  "attachTime",
  "attachedAt",
  "detachAt",
  "deleteOnTermination",
  "guest",
  "iops",
  "throughput",
  "snapshotId",
  "volumeType",
  "kmsKeyId",
]);

/**
 * Field by field rather than by rest and spreads (DescribeInstances maps a volume per instance, a hundred a page,
 * and the spreads of small objects were most of its cost); the fields keep the order they had.
 */
export function volumeFromRow(row: VolumeRow, tags: Tag[]): Volume {
  const volume: Record<string, unknown> = {};
  for (const column in row) if (!shapedColumns.has(column)) volume[column] = row[column as keyof VolumeRow];
  if (row.kmsKeyId !== null) volume.kmsKeyId = row.kmsKeyId;
  volume.volumeType = row.volumeType as VolumeType;
  if (row.iops !== null) volume.iops = row.iops;
  if (row.throughput !== null) volume.throughput = row.throughput;
  if (row.snapshotId !== null) volume.snapshotId = row.snapshotId;
  if (row.guest !== null) volume.guest = JSON.parse(row.guest) as GuestModel;
  if (row.instanceId !== null) {
    const attachment: Record<string, unknown> = {
      instanceId: row.instanceId,
      device: row.device!,
      attachTime: row.attachTime!,
      attachedAt: row.attachedAt!,
      deleteOnTermination: row.deleteOnTermination,
    };
    if (row.detachAt) attachment.detachAt = row.detachAt;
    volume.attachment = attachment;
  }
  volume.tags = tags;
  return volume as unknown as Volume;
}
