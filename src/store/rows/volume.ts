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
  return { ...volumeFieldsFromRow(row), attachments, tags };
}

/** The volume of a row without its attachments: for a view from one instance, which adds that attachment. */
export function volumeFieldsFromRow(row: VolumeRow): Omit<Volume, "attachments" | "tags"> {
  const { guest, iops, throughput, snapshotId, volumeType, kmsKeyId, ...rest } = row;
  return {
    ...rest,
    ...(kmsKeyId !== null ? { kmsKeyId } : {}),
    volumeType: volumeType as VolumeType,
    ...(iops !== null ? { iops } : {}),
    ...(throughput !== null ? { throughput } : {}),
    ...(snapshotId !== null ? { snapshotId } : {}),
    ...(guest !== null ? { guest: JSON.parse(guest) as GuestModel } : {}),
  };
}
