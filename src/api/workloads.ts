// SetInstanceWorkload (extension): what an instance's guest does, read by live migration and neighbour contention.
import type { InstanceWorkload } from "../domain/workload.js";
import { definedOnly } from "../domain/objects.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { WorkloadService } from "../services/workloads.js";

interface SetWorkloadInput {
  InstanceId: string;
  CpuPercent?: number;
  DirtyPagesPerSecond?: number;
  WritableWorkingSetMiB?: number;
  DiskIops?: number;
  NetworkMbps?: number;
}

export function workloadToWire(workload: InstanceWorkload) {
  return {
    CpuPercent: workload.cpuPercent,
    DirtyPagesPerSecond: workload.dirtyPagesPerSecond,
    WritableWorkingSetMiB: workload.writableWorkingSetMiB,
    DiskIops: workload.diskIops,
    NetworkMbps: workload.networkMbps,
  };
}

export function workloadOperations(workloads: WorkloadService): OperationTable {
  return {
    SetInstanceWorkload: operation<SetWorkloadInput, object>({
      async handle(input, caller) {
        const workload = await workloads.set(
          caller,
          input.InstanceId,
          definedOnly({
            cpuPercent: input.CpuPercent,
            dirtyPagesPerSecond: input.DirtyPagesPerSecond,
            writableWorkingSetMiB: input.WritableWorkingSetMiB,
            diskIops: input.DiskIops,
            networkMbps: input.NetworkMbps,
          }),
        );
        return { InstanceId: input.InstanceId, Workload: workloadToWire(workload) };
      },
    }),
  };
}
