// The VolumeAttachment table's one codec: one attachment of a volume to an instance as a row, and back.
import type { Attachment } from "../../domain/volumes.js";
import type { VolumeAttachment as VolumeAttachmentRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { VolumeAttachmentRow };

export const volumeAttachmentColumns = new SqliteColumns<VolumeAttachmentRow>("VolumeAttachment", {
  dates: { attachTime: true, attachedAt: true, detachAt: true },
  booleans: { deleteOnTermination: true },
});

export function attachmentToRow(volumeId: string, attachment: Attachment): VolumeAttachmentRow {
  return { volumeId, ...attachment, detachAt: attachment.detachAt ?? null };
}

export function attachmentFromRow(row: Omit<VolumeAttachmentRow, "volumeId">): Attachment {
  const { detachAt, instanceId, device, attachTime, attachedAt, deleteOnTermination } = row;
  return { instanceId, device, attachTime, attachedAt, deleteOnTermination, ...(detachAt ? { detachAt } : {}) };
}
