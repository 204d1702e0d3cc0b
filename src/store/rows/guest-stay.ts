// The GuestStay table's one codec: an instance's stay on a server (written by triggers, read by GetInstanceMetrics).
import type { StayRecord } from "../../domain/instance-metrics.js";
import type { GuestStay as GuestStayRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const guestStayColumns = new SqliteColumns<GuestStayRow>("GuestStay", { dates: { arrivedAt: true, leftAt: true }, booleans: {} });

export function guestStayFromRow(row: GuestStayRow): StayRecord {
  return {
    instanceId: row.instanceId,
    serverId: row.serverId,
    instanceType: row.instanceType,
    from: row.arrivedAt.getTime(),
    to: row.leftAt ? row.leftAt.getTime() : Number.POSITIVE_INFINITY,
  };
}
