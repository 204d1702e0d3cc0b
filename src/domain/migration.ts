// Live migration of a guest's memory between two servers, as an analytic model a learner can follow: Xen's
// pre-copy save loop (Clark et al., NSDI 2005) and post-copy with pre-paging (Hines and Gopalan, VEE 2009).
// Pure: times are inputs and outputs in milliseconds, never read from a clock. Each pre-copy round is one formula,
// not a walk over pages, so a 512 GiB guest costs what a 1 GiB guest costs. Sources and calibration: docs/migration.md.

export const PAGE_SIZE_BYTES = 4096;
const PAGES_PER_MIB = (1024 * 1024) / PAGE_SIZE_BYTES;
const PAGE_BITS = PAGE_SIZE_BYTES * 8;

/** What the guest does to its memory while it is copied. */
export interface Workload {
  /** Page writes per second; a page written twice in a round is sent once. */
  dirtyPagesPerSecond: number;
  /** The pages the guest writes at all (Clark's writable working set): no round can find more of them dirty. */
  writableWorkingSetMiB: number;
}

/** Xen's rate-adaptive pre-copy (xc_linux_save.c, 2004-2007): each round at the dirtying rate seen in the last + 50. */
export interface RateLimit {
  startMbps: number;
  maxMbps: number;
  headroomMbps: number;
}

/** When the save loop stops copying live and pauses the guest. */
export interface PreCopyPolicy {
  name: string;
  /** Live rounds at most, round 1 (every page) included; the stop-and-copy follows. */
  maxIterations: number;
  /** Pause when fewer pages than this remain (Xen: 50). */
  targetDirtyPages: number;
  /** What the target is compared with: the pages dirtied in the round (current Xen) or sent in it (legacy Xen). */
  smallRoundMeasure: "dirtied" | "sent";
  /** Pause once more than this multiple of the guest's pages was sent; none in current Xen. */
  maxFactor?: number;
  /** Absent: every round at the link's full bandwidth. */
  rateLimit?: RateLimit;
}

/** tools/libs/guest/xg_sr_save.c, simple_precopy_policy(): SPP_MAX_ITERATIONS 5, SPP_TARGET_DIRTY_COUNT 50. */
export const xenSimplePrecopyPolicy: PreCopyPolicy = { name: "xen-simple-precopy", maxIterations: 5, targetDirtyPages: 50, smallRoundMeasure: "dirtied" };

/** tools/libxc/xc_domain_save.c before its removal (b9041b4eeb): DEF_MAX_ITERS 29, DEF_MAX_FACTOR 3, fewer than 50 sent. */
export const xenLegacyPolicy: PreCopyPolicy = { name: "xen-legacy", maxIterations: 29, targetDirtyPages: 50, smallRoundMeasure: "sent", maxFactor: 3 };

/** xc_linux_save.c: START_MBIT_RATE 100, MAX_MBIT_RATE 500, and the "+ 50" of its rate update. */
export const xenRateLimit: RateLimit = { startMbps: 100, maxMbps: 500, headroomMbps: 50 };

/** The loop Clark et al. measured: the legacy limits with the rate-adaptive bandwidth. */
export const xenNsdi2005Policy: PreCopyPolicy = { ...xenLegacyPolicy, name: "xen-nsdi-2005", rateLimit: xenRateLimit };

/** What neither paper nor Xen fixes; chosen, see docs/decisions.md. */
export interface SwitchoverCosts {
  /** vCPU registers and device-model state sent while the guest is paused. */
  cpuAndDeviceStateBytes: number;
  /** Rebuilding the guest on the destination, unpausing it and announcing its address (unsolicited ARP). */
  resumeMs: number;
}
export const defaultSwitchoverCosts: SwitchoverCosts = { cpuAndDeviceStateBytes: 1024 * 1024, resumeMs: 20 };

export interface MigrationInput {
  memoryMiB: number;
  workload: Workload;
  linkMbps: number;
  switchover?: SwitchoverCosts;
}

export interface MigrationRound {
  round: number;
  pagesSent: number;
  /** Distinct pages written while this round was sent: the next round's work (0 in the stop-and-copy). */
  pagesDirtied: number;
  durationMs: number;
  rateMbps: number;
  guestPaused: boolean;
}

export type PreCopyEnd = "converged" | "iteration-limit" | "volume-limit";

export interface PreCopyResult {
  policy: string;
  /** The live rounds, then the stop-and-copy as the last one. */
  rounds: MigrationRound[];
  totalTimeMs: number;
  downtimeMs: number;
  bytesTransferred: number;
  converged: boolean;
  endedBy: PreCopyEnd;
}

export interface PostCopyResult {
  downtimeMs: number;
  totalTimeMs: number;
  bytesTransferred: number;
  /** Pages the resumed guest touched before the pre-pager had pushed them, each fetched over the network. */
  pageFaults: number;
}

export function preCopy(input: MigrationInput, policy: PreCopyPolicy = xenSimplePrecopyPolicy): PreCopyResult {
  const { memoryPages, workingSetPages, dirtyRate, linkMbps, switchover } = normalise(input);
  const rounds: MigrationRound[] = [];
  let toSend = memoryPages;
  let rateMbps = policy.rateLimit ? Math.min(linkMbps, policy.rateLimit.startMbps) : linkMbps;
  let totalPagesSent = 0;
  let endedBy: PreCopyEnd | undefined;
  for (let round = 1; endedBy === undefined; round++) {
    const durationMs = transferMs(toSend * PAGE_BITS, rateMbps);
    const pagesDirtied = distinctPagesDirtied(dirtyRate, workingSetPages, durationMs);
    rounds.push({ round, pagesSent: toSend, pagesDirtied, durationMs, rateMbps, guestPaused: false });
    totalPagesSent += toSend;
    endedBy = policyDecision(policy, round, policy.smallRoundMeasure === "sent" ? toSend : pagesDirtied, totalPagesSent, memoryPages);
    if (endedBy === undefined && policy.rateLimit) rateMbps = nextRate(policy.rateLimit, rateMbps, pagesDirtied, durationMs, linkMbps);
    toSend = pagesDirtied;
  }
  // Paused: the last dirty pages and the vCPU and device state go at the most the policy allows, then the resume.
  const pausedRateMbps = policy.rateLimit ? Math.min(linkMbps, policy.rateLimit.maxMbps) : linkMbps;
  const stopAndCopyMs = transferMs(toSend * PAGE_BITS + switchover.cpuAndDeviceStateBytes * 8, pausedRateMbps);
  rounds.push({ round: rounds.length + 1, pagesSent: toSend, pagesDirtied: 0, durationMs: stopAndCopyMs, rateMbps: pausedRateMbps, guestPaused: true });
  totalPagesSent += toSend;
  const downtimeMs = stopAndCopyMs + switchover.resumeMs;
  const liveMs = rounds.reduce((sum, r) => sum + (r.guestPaused ? 0 : r.durationMs), 0);
  return {
    policy: policy.name,
    rounds,
    totalTimeMs: liveMs + downtimeMs,
    downtimeMs,
    bytesTransferred: totalPagesSent * PAGE_SIZE_BYTES + switchover.cpuAndDeviceStateBytes,
    converged: endedBy === "converged",
    endedBy: endedBy!,
  };
}

/**
 * Hines and Gopalan's adaptive pre-paging leaves the guest faulting on "within 21% of the VM's working set" (VEE
 * 2009; 17% in the journal version): the other 79% arrive pushed before the guest asks.
 */
export const hinesPrepagingEffectiveness = 0.79;

export function postCopy(input: MigrationInput, prepagingEffectiveness = hinesPrepagingEffectiveness): PostCopyResult {
  const { memoryPages, workingSetPages, linkMbps, switchover } = normalise(input);
  // Paused only for the vCPU and device state: no memory moves before the resume, so the dirty rate plays no part.
  const downtimeMs = transferMs(switchover.cpuAndDeviceStateBytes * 8, linkMbps) + switchover.resumeMs;
  // Every page crosses once, pushed or pulled by a fault, at the link's bandwidth.
  const pushMs = transferMs(memoryPages * PAGE_BITS, linkMbps);
  return {
    downtimeMs,
    totalTimeMs: downtimeMs + pushMs,
    bytesTransferred: memoryPages * PAGE_SIZE_BYTES + switchover.cpuAndDeviceStateBytes,
    pageFaults: Math.round(workingSetPages * (1 - prepagingEffectiveness)),
  };
}

/**
 * Distinct pages written in `ms` when writes land uniformly on the writable working set: about rate × time while
 * that is small next to the set, never more than the set (a hot page rewritten is still one page to resend).
 */
function distinctPagesDirtied(pagesPerSecond: number, workingSetPages: number, ms: number): number {
  if (workingSetPages === 0 || pagesPerSecond === 0) return 0;
  return Math.round(workingSetPages * -Math.expm1((-pagesPerSecond * ms) / 1000 / workingSetPages));
}

/** After a live round: why to pause the guest now, or undefined to go on copying. */
function policyDecision(policy: PreCopyPolicy, round: number, smallRound: number, totalPagesSent: number, memoryPages: number): PreCopyEnd | undefined {
  if (smallRound < policy.targetDirtyPages) return "converged";
  if (round >= policy.maxIterations) return "iteration-limit";
  if (policy.maxFactor !== undefined && totalPagesSent > memoryPages * policy.maxFactor) return "volume-limit";
  return undefined;
}

/** xc_linux_save.c: mbit_rate = dirty_count*PAGE_SIZE/(wall_delta*(1000/8)) + 50, raised only, capped at the max. */
function nextRate(limit: RateLimit, currentMbps: number, pagesDirtied: number, durationMs: number, linkMbps: number): number {
  if (durationMs === 0) return currentMbps;
  const observedMbps = (pagesDirtied * PAGE_BITS) / (durationMs * 1000) + limit.headroomMbps;
  return observedMbps > currentMbps ? Math.min(observedMbps, limit.maxMbps, linkMbps) : currentMbps;
}

function transferMs(bits: number, mbps: number): number {
  return bits / (mbps * 1000);
}

function normalise(input: MigrationInput) {
  const { memoryMiB, workload, linkMbps } = input;
  // The services validate what users send; these guard the model against a caller's mistake (a zero link would
  // make every duration infinite).
  if (!(memoryMiB > 0) || !(linkMbps > 0)) throw new RangeError(`migration needs memory and a link: memoryMiB ${memoryMiB}, linkMbps ${linkMbps}`);
  if (!(workload.dirtyPagesPerSecond >= 0) || !(workload.writableWorkingSetMiB >= 0)) throw new RangeError("a workload's dirty rate and working set are >= 0");
  const memoryPages = Math.ceil(memoryMiB * PAGES_PER_MIB);
  return {
    memoryPages,
    // A guest cannot write more pages than it has.
    workingSetPages: Math.min(memoryPages, Math.ceil(workload.writableWorkingSetMiB * PAGES_PER_MIB)),
    dirtyRate: workload.dirtyPagesPerSecond,
    linkMbps,
    switchover: input.switchover ?? defaultSwitchoverCosts,
  };
}

/** The policies by name, for a caller that lets the user choose one. */
export const preCopyPolicies: Record<string, PreCopyPolicy> = Object.fromEntries(
  [xenSimplePrecopyPolicy, xenLegacyPolicy, xenNsdi2005Policy].map((policy) => [policy.name, policy]),
);
