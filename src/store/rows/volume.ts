// The Volume table's one codec: a volume as a row, and back. Its attachments are rows of their own
// (rows/volume-attachment.ts): a Multi-Attach volume has up to 16. `guest` is the disk's guest model as JSON, null
// for a blank disk.
import type { GuestModel } from "../../domain/guest.js";
import type { Tag } from "../../domain/tags.js";
import type { Attachment, Volume, VolumeType } from "../../domain/volumes.js";
import type { Volume as VolumeRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { VolumeRow };

export const volumeColumns = new SqliteColumns<VolumeRow>("Volume", {
  dates: { createdAt: true, availableAt: true },
  booleans: { encrypted: true, multiAttachEnabled: true },
});

export function volumeToRow(volume: Volume): VolumeRow {
  const { attachments: _attachments, tags: _tags, guest, iops, throughput, snapshotId, kmsKeyId, ...rest } = volume;
  return {
    ...rest,
    kmsKeyId: kmsKeyId ?? null,
    iops: iops ?? null,
    throughput: throughput ?? null,
    snapshotId: snapshotId ?? null,
    guest: guest ? JSON.stringify(guest) : null,
  };
}

/** The volume of a row, with the attachments and tags read beside it. */
export function volumeFromRow(row: VolumeRow, attachments: Attachment[], tags: Tag[]): Volume {
  const volume = volumeFieldsFromRow(row) as Volume;
  volume.attachments = attachments;
  volume.tags = tags;
  return volume;
}

/** The columns volumeFieldsFromRow turns into optional fields; every other column is copied as it is. */
const shapedColumns = new Set<string>(["guest", "iops", "throughput", "snapshotId", "volumeType", "kmsKeyId"]);

/**
 * The volume of a row without its attachments: for a view from one instance, which adds that attachment. Field by
 * field rather than by rest and spreads (DescribeInstances maps a volume per instance, a hundred a page, and the
 * spreads of small objects were most of its cost); the fields keep the order they had.
 */
export function volumeFieldsFromRow(row: VolumeRow): Omit<Volume, "attachments" | "tags"> {
  const volume: Record<string, unknown> = {};
  for (const column in row) if (!shapedColumns.has(column)) volume[column] = row[column as keyof VolumeRow];
  if (row.kmsKeyId !== null) volume.kmsKeyId = row.kmsKeyId;
  volume.volumeType = row.volumeType as VolumeType;
  if (row.iops !== null) volume.iops = row.iops;
  if (row.throughput !== null) volume.throughput = row.throughput;
  if (row.snapshotId !== null) volume.snapshotId = row.snapshotId;
  if (row.guest !== null) volume.guest = JSON.parse(row.guest) as GuestModel;
  return volume as unknown as Omit<Volume, "attachments" | "tags">;
}
