// What a server's guests do to one another, computed from their workloads at one instant: CPU demand beyond the
// server's hardware threads becomes steal, shared in proportion to demand; on Xen the paravirtual split drivers run
// every guest's disk I/O (and the network I/O of guests without an SR-IOV VF or ENA) through dom0, whose load
// lengthens everyone's disk latency; on Nitro the cards do the I/O and a guest's latency depends on its own load
// only. Pure. Sources, the queueing formula and which constants are chosen: docs/neighbours.md.

export interface Workload {
  /** CPU demand in percent of the guest's vCPUs. */
  cpuPercent: number;
  diskIops: number;
  networkMbps: number;
}

export interface ContentionGuest {
  instanceId: string;
  vCpus: number;
  workload: Workload;
  /** On Xen: "pv" network runs through dom0's netback; an SR-IOV VF ("sriov") or ENA bypasses it. */
  networkPath: "pv" | "sriov" | "ena";
  /** The instance's own EBS IOPS limit (its type's), when known: its own queue fills as it nears it. */
  maxIops?: number;
  /**
   * Its vCPUs are pinned to threads of their own (every type but the burstable ones, oversubscription.ts): those
   * threads are reserved whatever it demands, and it never waits for one. Absent: it shares the server's threads.
   */
  pinned?: boolean;
}

export interface ContentionServer {
  /** "none" is bare metal: no hypervisor at all. */
  hypervisor: "xen" | "nitro" | "none";
  cores: number;
  threadsPerCore: number;
  /** A Dedicated Host or a .metal server: one tenant, no neighbours (docs/neighbours.md). */
  singleTenant: boolean;
}

export interface GuestContention {
  instanceId: string;
  /** CPU the guest actually got, in percent of its vCPUs. */
  deliveredCpuPercent: number;
  /** Time its vCPUs were runnable but not running, in percent (Linux's %steal). */
  cpuStealPercent: number;
  diskLatencyMs: number;
  /** Xen only: the load of the dom0 serving this guest's I/O. */
  dom0CpuPercent?: number;
}

/** Every constant of the model; docs/neighbours.md says which are cited and which are chosen. */
export const CONTENTION = {
  /** EBS service time per request with an idle queue (chosen; AWS states "single-digit millisecond" for gp2/gp3). */
  ebsServiceMs: 1,
  /** dom0 vCPUs serving the PV backends (chosen). They are the host's own, outside the threads guests run on. */
  dom0VCpus: 2,
  /** dom0 CPU per PV block request, in seconds (chosen). */
  dom0CpuSecondsPerIo: 50e-6,
  /** dom0 CPU per Mbit of PV network traffic, in seconds (chosen: a dom0 vCPU half busy per Gbit/s). */
  dom0CpuSecondsPerMbit: 0.5e-3,
  /** dom0's part of a block request's latency with an idle dom0: blkfront -> blkback round trip (chosen). */
  dom0ServiceMs: 0.25,
  /** Utilization is capped here so an M/M/1 stage's delay stays finite: at most 20x its service time (chosen). */
  maxUtilization: 0.95,
} as const;

/** An M/M/1 stage's mean time in system: service / (1 - utilization) (Kleinrock, Queueing Systems I, 1975). */
function sojourn(serviceMs: number, utilization: number): number {
  return serviceMs / (1 - Math.min(Math.max(utilization, 0), CONTENTION.maxUtilization));
}

/** The contention of every guest of one server. A single-tenant server's guests are computed as if each were alone. */
export function serverContention(server: ContentionServer, guests: readonly ContentionGuest[]): GuestContention[] {
  if (server.singleTenant && guests.length > 1) return guests.map((guest) => serverContention(server, [guest])[0]!);
  const threads = server.cores * server.threadsPerCore;
  const demands = guests.map((guest) => (guest.vCpus * clampPercent(guest.workload.cpuPercent)) / 100);
  // Pinned vCPUs hold their threads; the others share what is left.
  const pinnedThreads = guests.reduce((sum, guest) => sum + (guest.pinned ? guest.vCpus : 0), 0);
  const sharedThreads = Math.max(threads - pinnedThreads, 0);
  const sharedDemand = guests.reduce((sum, guest, i) => sum + (guest.pinned ? 0 : demands[i]!), 0);
  // Each runnable shared vCPU gets the same fraction of a thread once their demand exceeds the threads (proportional share).
  const share = sharedDemand > sharedThreads ? sharedThreads / sharedDemand : 1;
  const dom0 = server.hypervisor === "xen" ? dom0Utilization(guests) : undefined;
  return guests.map((guest, i) => {
    const delivered = guest.pinned ? demands[i]! : demands[i]! * share;
    const ownUtilization = guest.maxIops ? guest.workload.diskIops / guest.maxIops : 0;
    // A tandem of queues (Jackson, 1957): the request's latency is the sum of each stage's sojourn.
    const device = sojourn(CONTENTION.ebsServiceMs, ownUtilization);
    const result: GuestContention = {
      instanceId: guest.instanceId,
      deliveredCpuPercent: (delivered / guest.vCpus) * 100,
      cpuStealPercent: ((demands[i]! - delivered) / guest.vCpus) * 100,
      diskLatencyMs: dom0 === undefined ? device : device + sojourn(CONTENTION.dom0ServiceMs, dom0),
    };
    if (dom0 !== undefined) result.dom0CpuPercent = Math.min(dom0, 1) * 100;
    return result;
  });
}

/** dom0's busy fraction (may exceed 1 when saturated): every guest's block I/O, and PV network I/O. */
function dom0Utilization(guests: readonly ContentionGuest[]): number {
  let cpuSeconds = 0;
  for (const guest of guests) {
    cpuSeconds += Math.max(guest.workload.diskIops, 0) * CONTENTION.dom0CpuSecondsPerIo;
    if (guest.networkPath === "pv") cpuSeconds += Math.max(guest.workload.networkMbps, 0) * CONTENTION.dom0CpuSecondsPerMbit;
  }
  return cpuSeconds / CONTENTION.dom0VCpus;
}

const clampPercent = (percent: number) => Math.min(Math.max(percent, 0), 100);
