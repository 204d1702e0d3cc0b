// The contention model: a neighbour's workload reaches a victim through the CPU it cannot get (steal) and, on Xen,
// through dom0 (disk latency, dom0 CPU); on Nitro the I/O does not meet; one tenant has no neighbours.
import { describe, expect, it } from "vitest";
import { CONTENTION, type ContentionGuest, type ContentionServer, serverContention } from "../../src/domain/contention.js";

// A small burstable server, oversubscribed as T hosts are: 8 threads, twelve 2-vCPU guests.
const xen: ContentionServer = { hypervisor: "xen", cores: 4, threadsPerCore: 2, singleTenant: false };
const nitro: ContentionServer = { ...xen, hypervisor: "nitro" };
const quiet = { cpuPercent: 10, diskIops: 100, networkMbps: 10 };
const victim: ContentionGuest = { instanceId: "i-victim", vCpus: 2, workload: { cpuPercent: 40, diskIops: 500, networkMbps: 50 }, networkPath: "pv" };

function neighbours(workload: ContentionGuest["workload"], networkPath: ContentionGuest["networkPath"] = "pv"): ContentionGuest[] {
  return Array.from({ length: 11 }, (_, i) => ({ instanceId: `i-neighbour-${i}`, vCpus: 2, workload, networkPath }));
}
const victimOf = (server: ContentionServer, others: ContentionGuest[]) => serverContention(server, [victim, ...others])[0]!;
const busy = { cpuPercent: 100, diskIops: 3000, networkMbps: 400 };

describe("on Xen", () => {
  it("a neighbour's rising workload raises the victim's steal, disk latency and dom0's CPU", () => {
    const calm = victimOf(xen, neighbours(quiet));
    const noisy = victimOf(xen, neighbours(busy));
    expect(calm.cpuStealPercent).toBe(0);
    expect(calm.deliveredCpuPercent).toBe(40);
    expect(noisy.cpuStealPercent).toBeGreaterThan(0);
    expect(noisy.deliveredCpuPercent + noisy.cpuStealPercent).toBeCloseTo(40, 9);
    expect(noisy.diskLatencyMs).toBeGreaterThan(calm.diskLatencyMs);
    expect(noisy.dom0CpuPercent!).toBeGreaterThan(calm.dom0CpuPercent!);
  });

  it("shares the threads in proportion to demand once demand exceeds them", () => {
    const all = serverContention(xen, [victim, ...neighbours(busy)]);
    const demand = 2 * 0.4 + 11 * 2 * 1;
    const threads = xen.cores * xen.threadsPerCore;
    const delivered = all.reduce((sum, guest) => sum + (guest.deliveredCpuPercent / 100) * 2, 0);
    expect(delivered).toBeCloseTo(threads, 9);
    expect(all[0]!.deliveredCpuPercent).toBeCloseTo((40 * threads) / demand, 9);
  });

  it("follows the M/M/1 tandem: device stage plus dom0 stage, each service / (1 - utilization)", () => {
    const noisy = victimOf(xen, neighbours({ cpuPercent: 100, diskIops: 1000, networkMbps: 100 }));
    const rho = noisy.dom0CpuPercent! / 100;
    expect(rho).toBeGreaterThan(0.5);
    expect(rho).toBeLessThan(CONTENTION.maxUtilization);
    expect(noisy.diskLatencyMs).toBeCloseTo(CONTENTION.ebsServiceMs + CONTENTION.dom0ServiceMs / (1 - rho), 9);
  });

  it("caps the delay when dom0 saturates", () => {
    const flood = victimOf(xen, neighbours({ cpuPercent: 0, diskIops: 1_000_000, networkMbps: 0 }));
    expect(flood.dom0CpuPercent).toBe(100);
    expect(flood.diskLatencyMs).toBeCloseTo(CONTENTION.ebsServiceMs + CONTENTION.dom0ServiceMs / (1 - CONTENTION.maxUtilization), 9);
  });

  it("network traffic of guests with ENA or an SR-IOV VF bypasses dom0", () => {
    const network = { cpuPercent: 0, diskIops: 0, networkMbps: 2000 };
    const throughDom0 = victimOf(xen, neighbours(network, "pv"));
    for (const path of ["ena", "sriov"] as const) {
      const bypassing = victimOf(xen, neighbours(network, path));
      expect(bypassing.dom0CpuPercent!).toBeLessThan(throughDom0.dom0CpuPercent!);
      expect(bypassing.diskLatencyMs).toBeLessThan(throughDom0.diskLatencyMs);
      expect(bypassing.diskLatencyMs).toBe(victimOf(xen, []).diskLatencyMs);
    }
  });
});

describe("on Nitro", () => {
  it("the victim's disk latency does not move with its neighbours' I/O, and there is no dom0", () => {
    const calm = victimOf(nitro, neighbours(quiet));
    const noisy = victimOf(nitro, neighbours(busy));
    expect(noisy.diskLatencyMs).toBe(calm.diskLatencyMs);
    expect(noisy.dom0CpuPercent).toBeUndefined();
    // CPU is still shared on an oversubscribed host.
    expect(noisy.cpuStealPercent).toBeGreaterThan(calm.cpuStealPercent);
  });

  it("a guest's own queue fills as it nears its own EBS IOPS limit", () => {
    const limited = { ...victim, maxIops: 1000 };
    const light = serverContention(nitro, [{ ...limited, workload: { ...victim.workload, diskIops: 100 } }])[0]!;
    const heavy = serverContention(nitro, [{ ...limited, workload: { ...victim.workload, diskIops: 900 } }])[0]!;
    expect(light.diskLatencyMs).toBeCloseTo(CONTENTION.ebsServiceMs / 0.9, 9);
    expect(heavy.diskLatencyMs).toBeCloseTo(CONTENTION.ebsServiceMs / 0.1, 9);
  });
});

describe("one tenant", () => {
  it("a Dedicated Host removes the effect: the victim sees what it sees alone", () => {
    for (const hypervisor of ["xen", "nitro"] as const) {
      const host: ContentionServer = { hypervisor, cores: 4, threadsPerCore: 2, singleTenant: true };
      const alone = victimOf(host, []);
      const withBusyNeighbours = victimOf(host, neighbours(busy));
      expect(withBusyNeighbours).toEqual(alone);
      expect(alone.cpuStealPercent).toBe(0);
    }
  });

  it("a .metal server has no hypervisor: no steal, no dom0", () => {
    const metal: ContentionServer = { hypervisor: "none", cores: 48, threadsPerCore: 2, singleTenant: true };
    const [guest] = serverContention(metal, [{ ...victim, vCpus: 96, workload: busy }]);
    expect(guest).toMatchObject({ cpuStealPercent: 0, deliveredCpuPercent: 100, diskLatencyMs: CONTENTION.ebsServiceMs });
    expect(guest!.dom0CpuPercent).toBeUndefined();
  });
});
