// The InstanceWorkloadChange table's one codec: a SetInstanceWorkload's CPU, disk and network at its virtual time.
import type { WorkloadPoint } from "../../domain/instance-metrics.js";
import type { InstanceWorkloadChange as WorkloadChangeRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const workloadChangeColumns = new SqliteColumns<WorkloadChangeRow>("InstanceWorkloadChange", { dates: { at: true }, booleans: {} });

export function workloadChangeToRow(instanceId: string, at: Date, point: Omit<WorkloadPoint, "at">): Omit<WorkloadChangeRow, "id"> {
  return { instanceId, at, cpuPercent: point.cpuPercent, diskIops: point.diskIops, networkMbps: point.networkMbps };
}

export function workloadChangeFromRow(row: WorkloadChangeRow): WorkloadPoint {
  return { at: row.at.getTime(), cpuPercent: row.cpuPercent, diskIops: row.diskIops, networkMbps: row.networkMbps };
}
