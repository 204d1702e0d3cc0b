// Burstable CPU credits (T2, T3, T3a, T4g) as EC2 defines them, computed analytically: within a stretch of constant
// CPU demand every balance moves linearly until one of them reaches 0 or its cap, so a timeline is walked from
// breakpoint to breakpoint, never minute by minute. Pure: times (ms since the epoch) are inputs. Sources and choices
// are in docs/neighbours.md; the numbers are AWS's "CPU credits and baseline utilization" table.

export type CreditMode = "standard" | "unlimited";

export interface BurstableType {
  instanceType: string;
  /** Credits earned per hour; also what running at baseline spends. One credit = one vCPU at 100% for a minute. */
  creditsPerHour: number;
  /** The cap on earned credits: 24 hours of earnings. Surplus credits are capped at the same figure. */
  maxEarnedCredits: number;
  vCpus: number;
  /** Baseline utilization per vCPU, in percent: the instance's CPUUtilization that spends exactly what it earns. */
  baselinePercent: number;
  /** Launch credits a T2 in standard mode gets at each launch or start (30 per vCPU); 0 for the others. */
  launchCredits: number;
}

// [credits/hour, vCPUs, baseline % per vCPU], AWS's table (burstable-credits-baseline-concepts; host-life-facts §3).
const T2: Record<string, [number, number, number]> = {
  nano: [3, 1, 5],
  micro: [6, 1, 10],
  small: [12, 1, 20],
  medium: [24, 2, 20],
  large: [36, 2, 30],
  xlarge: [54, 4, 22.5],
  "2xlarge": [81.6, 8, 17],
};
// T3, T3a and T4g have identical rows.
const T3: Record<string, [number, number, number]> = {
  nano: [6, 2, 5],
  micro: [12, 2, 10],
  small: [24, 2, 20],
  medium: [24, 2, 20],
  large: [36, 2, 30],
  xlarge: [96, 4, 40],
  "2xlarge": [192, 8, 40],
};
const FAMILIES: Record<string, Record<string, [number, number, number]>> = { t2: T2, t3: T3, t3a: T3, t4g: T3 };

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** T3, T3a and T4g keep their earned credits this long after a stop. */
export const CREDITS_KEPT_AFTER_STOP_MS = 7 * 24 * HOUR;
const LAUNCH_CREDITS_PER_VCPU = 30;
const EPSILON = 1e-9;

/** The burstable row of an instance type, or undefined for a type that does not run on credits. */
export function burstableType(instanceType: string): BurstableType | undefined {
  const [family, size] = instanceType.split(".");
  const row = FAMILIES[family ?? ""]?.[size ?? ""];
  if (!row) return undefined;
  const [creditsPerHour, vCpus, baselinePercent] = row;
  return {
    instanceType,
    creditsPerHour,
    maxEarnedCredits: Math.round(creditsPerHour * 24 * 1e6) / 1e6,
    vCpus,
    baselinePercent,
    launchCredits: family === "t2" ? LAUNCH_CREDITS_PER_VCPU * vCpus : 0,
  };
}

const isT2 = (type: BurstableType) => type.instanceType.startsWith("t2.");

/** EC2's default: T2 standard, T3/T3a/T4g unlimited, except a T3 on a Dedicated Host, which runs standard. */
export function defaultCreditMode(type: BurstableType, onDedicatedHost: boolean): CreditMode {
  return isT2(type) || onDedicatedHost ? "standard" : "unlimited";
}

/** Where the credits stand at one instant. The cumulative counters let any window be read as a difference. */
export interface CreditState {
  at: number;
  /** Earned credits, capped at maxEarnedCredits (CPUCreditBalance without the launch credits). */
  earned: number;
  /** T2 standard launch credits left: spent first, outside the cap. */
  launch: number;
  /** Unlimited mode: surplus credits spent at zero balance and not yet paid down (CPUSurplusCreditBalance). */
  surplus: number;
  /** Surplus spent beyond the cap, charged at the end of the hour. */
  pendingCharge: number;
  /** Surplus credits charged so far (cumulative). */
  charged: number;
  /** Credits spent so far (cumulative): vCPU-minutes actually delivered. */
  used: number;
}

export function creditsAtLaunch(type: BurstableType, mode: CreditMode, at: number): CreditState {
  return { at, earned: 0, launch: mode === "standard" ? type.launchCredits : 0, surplus: 0, pendingCharge: 0, charged: 0, used: 0 };
}

/** At a stop, spent surplus is charged; a T2 loses all its credits; the others keep their earned credits. */
export function creditsAtStop(type: BurstableType, state: CreditState): CreditState {
  const charged = state.charged + state.surplus + state.pendingCharge;
  const lost = isT2(type);
  return { ...state, charged, surplus: 0, pendingCharge: 0, earned: lost ? 0 : state.earned, launch: lost ? 0 : state.launch };
}

/** At a start: a T2 standard gets launch credits again; a T3/T3a/T4g finds its credits if stopped 7 days or less. */
export function creditsAtStart(type: BurstableType, mode: CreditMode, stopped: CreditState, startedAt: number): CreditState {
  const kept = !isT2(type) && startedAt - stopped.at <= CREDITS_KEPT_AFTER_STOP_MS;
  return { ...stopped, at: startedAt, earned: kept ? stopped.earned : 0, launch: mode === "standard" ? type.launchCredits : 0 };
}

/** standard -> unlimited removes the launch credits; unlimited -> standard charges the surplus at once. */
export function switchCreditMode(state: CreditState, from: CreditMode, to: CreditMode): CreditState {
  if (from === to) return state;
  if (to === "unlimited") return { ...state, launch: 0 };
  return { ...state, charged: state.charged + state.surplus + state.pendingCharge, surplus: 0, pendingCharge: 0 };
}

/** CPU demand, in percent of the instance's vCPUs, constant over [start, end). Outside every segment it is 0. */
export interface DemandSegment {
  start: number;
  end: number;
  cpuPercent: number;
}

/** Why a timeline cannot be walked, or undefined. Callers check user input with it before computing. */
export function timelineProblem(segments: readonly DemandSegment[]): string | undefined {
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (!(s.end > s.start)) return `segment ${i} ends at or before its start`;
    if (!(s.cpuPercent >= 0 && s.cpuPercent <= 100)) return `segment ${i} has cpuPercent ${s.cpuPercent}, outside 0-100`;
    if (i > 0 && s.start < segments[i - 1]!.end) return `segment ${i} starts before segment ${i - 1} ends`;
  }
  return undefined;
}

/**
 * Walks a demand timeline forward from a credit state. `pieces` counts the linear stretches computed: a segment
 * costs one piece plus one per breakpoint inside it (a balance reaching 0 or its cap, an hour's charge).
 */
export class CreditWalker {
  readonly state: CreditState;
  pieces = 0;
  private next = 0;

  constructor(
    private readonly type: BurstableType,
    private readonly mode: CreditMode,
    initial: CreditState,
    private readonly segments: readonly DemandSegment[],
  ) {
    const problem = timelineProblem(segments);
    if (problem) throw new RangeError(`CPU demand timeline: ${problem}`);
    this.state = { ...initial };
    while (this.next < segments.length && segments[this.next]!.end <= initial.at) this.next++;
  }

  /** Moves the state to `to` (not backwards). */
  advanceTo(to: number): CreditState {
    const s = this.state;
    while (s.at < to) {
      const segment = this.segments[this.next];
      if (!segment || segment.start >= to) {
        this.advanceAt(0, to);
      } else if (s.at < segment.start) {
        this.advanceAt(0, segment.start);
      } else {
        this.advanceAt(segment.cpuPercent, Math.min(segment.end, to));
        if (s.at >= segment.end) this.next++;
      }
    }
    return s;
  }

  /** Constant demand from state.at to `to`, split where a balance reaches 0 or its cap. */
  private advanceAt(cpuPercent: number, to: number): void {
    const s = this.state;
    const earn = this.type.creditsPerHour / 60;
    const demand = (this.type.vCpus * cpuPercent) / 100;
    const cap = this.type.maxEarnedCredits;
    while (s.at < to) {
      this.pieces++;
      let dLaunch = 0;
      let dEarned = 0;
      let dSurplus = 0;
      let dPending = 0;
      let spend = demand;
      // Minutes until the first balance reaches a bound; the stretch ends there.
      let bound = Number.POSITIVE_INFINITY;
      if (s.launch > 0) {
        // Launch credits are spent first; earnings still go to the earned balance, up to its cap.
        dLaunch = -demand;
        if (demand > 0) bound = s.launch / demand;
        if (s.earned < cap) {
          dEarned = earn;
          bound = Math.min(bound, (cap - s.earned) / earn);
        }
      } else if (s.surplus > 0) {
        // Unlimited at zero balance: earnings pay the surplus down before anything is earned.
        const growth = demand - earn;
        if (growth < 0) {
          dSurplus = growth;
          bound = s.surplus / -growth;
        } else if (growth > 0 && s.surplus < cap) {
          dSurplus = growth;
          bound = (cap - s.surplus) / growth;
        } else if (growth > 0) {
          dPending = growth;
        }
      } else {
        const net = earn - demand;
        if (net > 0 && s.earned < cap) {
          dEarned = net;
          bound = (cap - s.earned) / net;
        } else if (net < 0 && s.earned > 0) {
          dEarned = net;
          bound = s.earned / -net;
        } else if (net < 0 && this.mode === "standard") {
          spend = earn; // out of credits: held to baseline
        } else if (net < 0) {
          dSurplus = -net;
          bound = cap / -net;
        }
      }
      let end = Math.min(to, s.at + bound * MINUTE);
      const nextHour = (Math.floor(s.at / HOUR) + 1) * HOUR;
      const charging = s.pendingCharge > 0 || dPending > 0;
      if (charging && nextHour < end) end = nextHour;
      // A balance a hair from its bound (closer than a millisecond's float step at epoch times) would never move the
      // clock: it reaches the bound in place, and the next piece takes the branch beyond it.
      const minutes = end > s.at ? (end - s.at) / MINUTE : bound;
      s.launch = snap(s.launch + dLaunch * minutes, 0);
      s.earned = snap(s.earned + dEarned * minutes, cap);
      s.surplus = snap(s.surplus + dSurplus * minutes, cap);
      s.pendingCharge += dPending * minutes;
      s.used += spend * minutes;
      s.at = end;
      if (charging && end === nextHour) {
        s.charged += s.pendingCharge;
        s.pendingCharge = 0;
      }
    }
  }
}

/** Rounding from the linear steps is snapped onto the bounds, so the branch taken next is the right one. */
function snap(value: number, cap: number): number {
  if (value < EPSILON) return 0;
  return Math.abs(value - cap) < EPSILON ? cap : value;
}

export function creditStateAt(type: BurstableType, mode: CreditMode, initial: CreditState, segments: readonly DemandSegment[], at: number): CreditState {
  return { ...new CreditWalker(type, mode, initial, segments).advanceTo(at) };
}

/** CloudWatch's shape: one value per period, labelled by the period's start. */
export interface CreditSeries {
  timestamps: number[];
  /** Average CPU actually delivered, in percent of the vCPUs (throttled to baseline at zero balance in standard). */
  CPUUtilization: number[];
  /** Credits spent in the period. */
  CPUCreditUsage: number[];
  /** Earned plus launch credits at the period's end. */
  CPUCreditBalance: number[];
  /** Surplus balance at the period's end. */
  CPUSurplusCreditBalance: number[];
  /** Surplus credits charged in the period. */
  CPUSurplusCreditsCharged: number[];
  /** Linear pieces computed: the cost of the answer (see CreditWalker). */
  pieces: number;
}

export interface MetricWindow {
  start: number;
  end: number;
  periodSeconds: number;
}

/** The series for [start, end): the walk goes from `initial` to start, then period by period. */
export function creditSeries(
  type: BurstableType,
  mode: CreditMode,
  initial: CreditState,
  segments: readonly DemandSegment[],
  window: MetricWindow,
): CreditSeries {
  if (!(window.periodSeconds > 0) || !(window.end > window.start) || window.start < initial.at) {
    throw new RangeError("metric window: the period must be positive and the window must follow the initial state");
  }
  const walker = new CreditWalker(type, mode, initial, segments);
  const series: CreditSeries = {
    timestamps: [],
    CPUUtilization: [],
    CPUCreditUsage: [],
    CPUCreditBalance: [],
    CPUSurplusCreditBalance: [],
    CPUSurplusCreditsCharged: [],
    pieces: 0,
  };
  const period = window.periodSeconds * 1000;
  const first = walker.advanceTo(window.start);
  let usedBefore = first.used;
  let chargedBefore = first.charged;
  for (let from = window.start; from < window.end; from += period) {
    const to = Math.min(from + period, window.end);
    const now = walker.advanceTo(to);
    const used = now.used - usedBefore;
    series.timestamps.push(from);
    series.CPUUtilization.push((used / (type.vCpus * ((to - from) / MINUTE))) * 100);
    series.CPUCreditUsage.push(used);
    series.CPUCreditBalance.push(now.earned + now.launch);
    series.CPUSurplusCreditBalance.push(now.surplus);
    series.CPUSurplusCreditsCharged.push(now.charged - chargedBefore);
    usedBefore = now.used;
    chargedBefore = now.charged;
  }
  series.pieces = walker.pieces;
  return series;
}
