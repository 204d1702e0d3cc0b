// The migration model's lessons, as properties over tables of cases (Clark et al., NSDI 2005; Hines and Gopalan,
// VEE 2009), and its calibration against the figures Clark et al. report. docs/migration.md explains each.
import { describe, expect, it } from "vitest";
import {
  type MigrationInput,
  type PreCopyPolicy,
  PAGE_SIZE_BYTES,
  postCopy,
  preCopy,
  preCopyPolicies,
  xenLegacyPolicy,
  xenNsdi2005Policy,
  xenRateLimit,
} from "../../src/domain/migration.js";

const gigabit = 1000;
const pagesPerMiB = (1024 * 1024) / PAGE_SIZE_BYTES;
/** Pages a gigabit link carries in a second: the dirty rate at which pre-copy can no longer catch up. */
const linkPagesPerSecond = (gigabit * 1_000_000) / (PAGE_SIZE_BYTES * 8);
const guest = (memoryMiB: number, dirtyPagesPerSecond: number, writableWorkingSetMiB: number, linkMbps = gigabit): MigrationInput => ({
  memoryMiB,
  workload: { dirtyPagesPerSecond, writableWorkingSetMiB },
  linkMbps,
});
const policies = Object.values(preCopyPolicies);

describe("pre-copy follows Xen's save loop", () => {
  it.each(policies.map((policy) => [policy.name, policy] as const))(
    "%s: round 1 sends every page, each later round what the one before dirtied",
    (_, policy) => {
      const input = guest(2048, 15_000, 256);
      const result = preCopy(input, policy);
      const memoryPages = 2048 * pagesPerMiB;
      expect(result.rounds[0]!.pagesSent).toBe(memoryPages);
      for (let i = 1; i < result.rounds.length; i++) expect(result.rounds[i]!.pagesSent).toBe(result.rounds[i - 1]!.pagesDirtied);
      for (const round of result.rounds) expect(round.pagesDirtied).toBeLessThanOrEqual(256 * pagesPerMiB);
      const last = result.rounds.at(-1)!;
      expect(last.guestPaused).toBe(true);
      expect(result.rounds.filter((round) => round.guestPaused)).toHaveLength(1);
      expect(result.rounds.length - 1).toBeLessThanOrEqual(policy.maxIterations);
      expect(result.downtimeMs).toBeGreaterThan(last.durationMs);
      expect(result.totalTimeMs).toBeCloseTo(result.rounds.reduce((sum, round) => sum + round.durationMs, 0) + (result.downtimeMs - last.durationMs), 6);
    },
  );

  it("an idle guest converges at once: one live round, a stop-and-copy of nothing but the CPU and device state", () => {
    const result = preCopy(guest(1024, 0, 0));
    expect(result).toMatchObject({ converged: true, endedBy: "converged" });
    expect(result.rounds.map((round) => round.pagesSent)).toEqual([1024 * pagesPerMiB, 0]);
  });

  it("the rate-adaptive bandwidth starts at 100 Mbit/s, only rises, and stays under 500", () => {
    const rates = preCopy(guest(800, 40_000, 12), xenNsdi2005Policy)
      .rounds.filter((round) => !round.guestPaused)
      .map((round) => round.rateMbps);
    expect(rates[0]).toBe(xenRateLimit.startMbps);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeGreaterThanOrEqual(rates[i - 1]!);
    expect(Math.max(...rates)).toBeLessThanOrEqual(xenRateLimit.maxMbps);
    expect(Math.max(...rates)).toBeGreaterThan(xenRateLimit.startMbps);
  });
});

describe("pre-copy's lessons", () => {
  const dirtyFractions = [0, 0.05, 0.2, 0.5, 0.8, 0.95, 1.2];
  // Dirty rates as a fraction of the bandwidth the policy may use (the rate-adaptive loop stops at 500 Mbit/s).
  const sweep = (policy: PreCopyPolicy) => {
    const usablePagesPerSecond = linkPagesPerSecond * Math.min(1, (policy.rateLimit?.maxMbps ?? gigabit) / gigabit);
    return dirtyFractions.map((fraction) => ({ fraction, result: preCopy(guest(4096, fraction * usablePagesPerSecond, 4096), policy) }));
  };

  it.each(policies.map((policy) => [policy.name, policy] as const))("%s: downtime grows with the dirty rate", (_, policy) => {
    const downtimes = sweep(policy).map(({ result }) => result.downtimeMs);
    for (let i = 1; i < downtimes.length; i++) expect(downtimes[i]).toBeGreaterThanOrEqual(downtimes[i - 1]!);
    expect(downtimes.at(-1)!).toBeGreaterThan(downtimes[0]! * 10);
  });

  it.each(policies.map((policy) => [policy.name, policy] as const))("%s: a guest that writes sends more bytes than its memory", (_, policy) => {
    for (const { fraction, result } of sweep(policy).filter(({ fraction }) => fraction > 0)) {
      expect(result.bytesTransferred, `dirty rate ${fraction} of the link`).toBeGreaterThan(4096 * 1024 * 1024);
    }
  });

  it.each(policies.map((policy) => [policy.name, policy] as const))(
    "%s: a slow writer pauses briefly; near the link's bandwidth it stops converging, ends at a limit and pauses for seconds",
    (_, policy) => {
      for (const { fraction, result } of sweep(policy)) {
        if (fraction <= 0.2) expect(result.downtimeMs, `dirty rate ${fraction} of the link`).toBeLessThan(100);
        if (fraction >= 0.95) {
          expect(result.converged, `dirty rate ${fraction} of the link`).toBe(false);
          expect(["iteration-limit", "volume-limit"]).toContain(result.endedBy);
          expect(result.downtimeMs).toBeGreaterThan(1000);
        }
      }
    },
  );

  it("the legacy volume limit stops the loop once more than 3x memory was sent", () => {
    const result = preCopy(guest(4096, linkPagesPerSecond, 4096), xenLegacyPolicy);
    const live = result.rounds.filter((round) => !round.guestPaused);
    const sent = (rounds: typeof live) => rounds.reduce((sum, round) => sum + round.pagesSent, 0);
    expect(sent(live)).toBeGreaterThan(3 * 4096 * pagesPerMiB);
    expect(sent(live.slice(0, -1))).toBeLessThanOrEqual(3 * 4096 * pagesPerMiB);
  });

  it("a writable working set bounds the stop-and-copy: a hot, small set converges to a short pause whatever the rate", () => {
    for (const rate of [50_000, 500_000, 5_000_000]) {
      const result = preCopy(guest(8192, rate, 8));
      expect(result.rounds.at(-1)!.pagesSent).toBeLessThanOrEqual(8 * pagesPerMiB);
      expect(result.downtimeMs).toBeLessThan(120);
    }
  });
});

describe("post-copy's lessons", () => {
  it("sends each page once and pauses as long whatever the dirty rate", () => {
    const results = [0, 10_000, linkPagesPerSecond, 10 * linkPagesPerSecond].map((rate) => postCopy(guest(4096, rate, 1024)));
    const stateBytes = results[0]!.bytesTransferred - 4096 * 1024 * 1024;
    expect(stateBytes).toBeGreaterThan(0);
    for (const result of results) {
      expect(result.bytesTransferred).toBe(results[0]!.bytesTransferred);
      expect(result.downtimeMs).toBe(results[0]!.downtimeMs);
    }
    expect(results[0]!.downtimeMs).toBeLessThan(100);
  });

  it("its network page faults grow with the writable working set, never past it", () => {
    const workingSets = [0, 16, 256, 1024, 4096];
    const faults = workingSets.map((mib) => postCopy(guest(4096, 20_000, mib)).pageFaults);
    expect(faults[0]).toBe(0);
    for (let i = 1; i < faults.length; i++) {
      expect(faults[i]).toBeGreaterThan(faults[i - 1]!);
      expect(faults[i]).toBeLessThan(workingSets[i]! * pagesPerMiB);
    }
  });

  it("against pre-copy on the same busy guest: fewer bytes, a shorter pause, less total time", () => {
    const input = guest(4096, 0.8 * linkPagesPerSecond, 4096);
    const pre = preCopy(input);
    const post = postCopy(input);
    expect(post.bytesTransferred).toBeLessThan(pre.bytesTransferred);
    expect(post.downtimeMs).toBeLessThan(pre.downtimeMs);
    expect(post.totalTimeMs).toBeLessThan(pre.totalTimeMs);
  });
});

describe("the model is analytic per round", () => {
  it("a 512 GiB guest takes as many rounds as a 1 GiB guest in the same regime", () => {
    for (const policy of policies) {
      const small = preCopy(guest(1024, 0.95 * linkPagesPerSecond, 1024), policy);
      const large = preCopy(guest(512 * 1024, 0.95 * linkPagesPerSecond, 512 * 1024), policy);
      expect(large.rounds.length).toBeLessThanOrEqual(policy.maxIterations + 1);
      expect(large.rounds.length).toBe(small.rounds.length);
    }
  });
});

// Clark et al., NSDI 2005, §1 and abstract, Xen on a gigabit LAN: SPECweb99 "with only 210 ms unavailability", a
// Quake 3 server "with just 60 ms downtime". Memory sizes and total times are from the evaluation (§6), which
// could not be re-read here (docs/migration.md). The paper gives no single dirty rate: the workloads below are
// fitted, within the writable working sets it describes as small for both.
describe("calibration against Clark et al. (NSDI 2005), rate-adaptive legacy loop, gigabit link", () => {
  const tolerance = 0.15;
  it.each([
    { name: "SPECweb99", memoryMiB: 800, dirtyPagesPerSecond: 40_000, writableWorkingSetMiB: 12, downtimeMs: 210, totalTimeMs: 71_000 },
    { name: "Quake 3 server", memoryMiB: 64, dirtyPagesPerSecond: 20_000, writableWorkingSetMiB: 3, downtimeMs: 60, totalTimeMs: 7_000 },
  ])(
    "$name: downtime ~$downtimeMs ms, total ~$totalTimeMs ms, within 15%",
    ({ memoryMiB, dirtyPagesPerSecond, writableWorkingSetMiB, downtimeMs, totalTimeMs }) => {
      const result = preCopy(guest(memoryMiB, dirtyPagesPerSecond, writableWorkingSetMiB), xenNsdi2005Policy);
      expect(Math.abs(result.downtimeMs - downtimeMs) / downtimeMs).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(result.totalTimeMs - totalTimeMs) / totalTimeMs).toBeLessThanOrEqual(tolerance);
    },
  );
});
