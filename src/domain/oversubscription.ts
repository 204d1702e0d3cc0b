// How many of a guest's vCPUs share one hardware thread of a shared server. EC2 pins a vCPU of most types to a
// hyper-thread, but runs burstable types oversubscribed: AWS's T3 host (48 cores, 96 threads; host-life-facts §2)
// holds 192 t3.nano…t3.medium (384 vCPUs: 4 per thread) or 96 t3.large, 48 t3.xlarge, 24 t3.2xlarge (192 vCPUs:
// 2 per thread). T2, T3a and T4g are run the same way by analogy (chosen; docs/decisions.md). Memory is never
// oversubscribed. Pure.
import { burstableType } from "./burstable.js";

/** The T3 host's ratios by size: the small sizes 4 vCPUs a thread, large and up 2 (derived from its published counts). */
const VCPUS_PER_THREAD_BY_SIZE: Record<string, number> = { nano: 4, micro: 4, small: 4, medium: 4, large: 2, xlarge: 2, "2xlarge": 2 };

/** vCPUs of the type per hardware thread on a shared server: 1 for a type that does not run on credits. */
export function vCpusPerThread(instanceType: string): number {
  if (!burstableType(instanceType)) return 1;
  return VCPUS_PER_THREAD_BY_SIZE[instanceType.split(".")[1] ?? ""] ?? 1;
}

/** A burstable guest shares its threads with its neighbours; any other guest's vCPUs are pinned to threads of their own. */
export const isPinned = (instanceType: string) => vCpusPerThread(instanceType) === 1;
