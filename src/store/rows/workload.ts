// The InstanceWorkload table's one codec: what an instance's guest does (domain/workload.ts).
import type { InstanceWorkload } from "../../domain/workload.js";
import type { InstanceWorkload as WorkloadRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const workloadColumns = new SqliteColumns<WorkloadRow>("InstanceWorkload", { dates: { updatedAt: true }, booleans: {} });

export function workloadToRow(owner: { instanceId: string; accountId: string; region: string }, workload: InstanceWorkload, updatedAt: Date): WorkloadRow {
  return { ...owner, ...workload, updatedAt };
}

export function workloadFromRow(row: WorkloadRow): InstanceWorkload {
  const { cpuPercent, dirtyPagesPerSecond, writableWorkingSetMiB, diskIops, networkMbps } = row;
  return { cpuPercent, dirtyPagesPerSecond, writableWorkingSetMiB, diskIops, networkMbps };
}
