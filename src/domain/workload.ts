// What a guest does with its server, set by the SetInstanceWorkload extension and read by the simulations that
// depend on it: live migration (src/domain/migration.ts: the dirty rate and the writable working set) and the
// contention of neighbours on a shared server (issue 17: CPU, disk and network). Pure.
import { Errors } from "./errors.js";
import type { Workload } from "./migration.js";

export interface InstanceWorkload extends Workload {
  /** Busy share of the instance's vCPUs, 0 to 100. */
  cpuPercent: number;
  diskIops: number;
  networkMbps: number;
}

/**
 * A guest nobody has described: a modest idle server (chosen, docs/decisions.md). An idle Linux guest still writes
 * a little memory (page cache, logs, timers): 256 pages a second is 1 MiB/s over a 64 MiB writable working set.
 */
export const idleWorkload: InstanceWorkload = {
  cpuPercent: 2,
  dirtyPagesPerSecond: 256,
  writableWorkingSetMiB: 64,
  diskIops: 10,
  networkMbps: 1,
};

/** The members a SetInstanceWorkload call names; the others keep their values. */
export type WorkloadChange = Partial<InstanceWorkload>;

/** The instance's workload after a change, or EC2's InvalidParameterValue naming the first out-of-range member. */
export function changeWorkload(current: InstanceWorkload, change: WorkloadChange): InstanceWorkload {
  const limits: Record<keyof InstanceWorkload, { wire: string; max?: number }> = {
    cpuPercent: { wire: "CpuPercent", max: 100 },
    dirtyPagesPerSecond: { wire: "DirtyPagesPerSecond" },
    writableWorkingSetMiB: { wire: "WritableWorkingSetMiB" },
    diskIops: { wire: "DiskIops" },
    networkMbps: { wire: "NetworkMbps" },
  };
  for (const [member, { wire, max }] of Object.entries(limits) as Array<[keyof InstanceWorkload, { wire: string; max?: number }]>) {
    const value = change[member];
    if (value === undefined) continue;
    if (value < 0) throw Errors.valueTooSmall(wire, value, 0);
    if (max !== undefined && value > max) throw Errors.valueTooLarge(wire, value, max);
  }
  return { ...current, ...Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) };
}
