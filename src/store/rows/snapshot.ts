// The Snapshot table's one codec. `guest` is the frozen disk's guest model as JSON; "null" marks a blank disk.
import type { GuestModel } from "../../domain/guest.js";
import type { Snapshot } from "../../domain/snapshots.js";
import type { Snapshot as SnapshotRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const snapshotColumns = new SqliteColumns<SnapshotRow>("Snapshot", {
  dates: { startTime: true, completesAt: true },
  booleans: { encrypted: true, public: true },
});

export function snapshotToRow(snapshot: Snapshot): SnapshotRow {
  const { guest, ownerAlias, volumeId, ...rest } = snapshot;
  return { ...rest, ownerAlias: ownerAlias ?? null, volumeId: volumeId ?? null, guest: JSON.stringify(guest ?? null) };
}

export function snapshotFromRow(row: SnapshotRow): Snapshot {
  const { guest, ownerAlias, volumeId, ...rest } = row;
  const model = JSON.parse(guest) as GuestModel | null;
  return { ...rest, ...(ownerAlias ? { ownerAlias } : {}), ...(volumeId ? { volumeId } : {}), ...(model ? { guest: model } : {}) };
}
