// The Snapshot table's one codec. `guest` is the frozen disk's guest model as JSON; "null" marks a blank disk.
// `createVolumePermissions` is a JSON array of account ids.
import type { GuestModel } from "../../domain/guest.js";
import type { Snapshot } from "../../domain/snapshots.js";
import type { Snapshot as SnapshotRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const snapshotColumns = new SqliteColumns<SnapshotRow>("Snapshot", {
  dates: { startTime: true, completesAt: true },
  booleans: { encrypted: true, public: true },
});

export function snapshotToRow(snapshot: Snapshot): SnapshotRow {
  const { guest, ownerAlias, volumeId, createVolumePermissions, ...rest } = snapshot;
  return {
    ...rest,
    ownerAlias: ownerAlias ?? null,
    volumeId: volumeId ?? null,
    guest: JSON.stringify(guest ?? null),
    createVolumePermissions: JSON.stringify(createVolumePermissions),
  };
}

/** The columns of a createVolumePermission change. */
export function snapshotPermissionsToRow(
  permissions: Pick<Snapshot, "public" | "createVolumePermissions">,
): Pick<SnapshotRow, "public" | "createVolumePermissions"> {
  return { public: permissions.public, createVolumePermissions: JSON.stringify(permissions.createVolumePermissions) };
}

export function snapshotFromRow(row: SnapshotRow): Snapshot {
  const { guest, ownerAlias, volumeId, createVolumePermissions, ...rest } = row;
  const model = JSON.parse(guest) as GuestModel | null;
  return {
    ...rest,
    ...(ownerAlias ? { ownerAlias } : {}),
    ...(volumeId ? { volumeId } : {}),
    ...(model ? { guest: model } : {}),
    createVolumePermissions: JSON.parse(createVolumePermissions) as string[],
  };
}
