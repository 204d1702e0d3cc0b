// GetInstanceMetrics: CloudWatch-shaped series for one instance over any window of virtual time, computed from the
// contention model (contention.ts) and the credit model (burstable.ts) without stored samples. Their inputs change
// only at recorded points (a guest arriving on or leaving a server, a workload change, a credit event), so the
// window is cut at those points and each piece is computed once; a period's value is the time-weighted average of
// the pieces inside it (CloudWatch's Average). Pure. Choices: docs/neighbours.md, "Metrics over time".
import type { DemandSegment } from "./burstable.js";
import { type ContentionGuest, type ContentionServer, type GuestContention, serverContention } from "./contention.js";
import { CreditCursor, type InstanceCredits } from "./credit-specification.js";
import { Errors } from "./errors.js";
import { idleWorkload } from "./workload.js";

export const metricNames = [
  "CPUUtilization",
  "CPUCreditUsage",
  "CPUCreditBalance",
  "CPUSurplusCreditBalance",
  "CPUSurplusCreditsCharged",
  "CPUStealPercent",
  "DiskLatencyMs",
  "Dom0CpuPercent",
] as const;
export type MetricName = (typeof metricNames)[number];

/** CloudWatch's limit on the datapoints one GetMetricData call returns. */
export const MAX_DATAPOINTS = 100_800;

export interface MetricQuery {
  metricNames: MetricName[];
  start: number;
  end: number;
  periodSeconds: number;
  ascending: boolean;
}

/** The query, or the error CloudWatch answers for it, in EC2's error envelope. */
export function metricQuery(input: { metricNames?: readonly string[]; start: Date; end: Date; periodSeconds: number; scanBy?: string }): MetricQuery {
  const names = input.metricNames?.length ? input.metricNames : metricNames;
  for (const name of names) if (!(metricNames as readonly string[]).includes(name)) throw Errors.unknownMetricName(name, metricNames);
  if (!(input.end.getTime() > input.start.getTime())) throw Errors.metricWindowInverted();
  if (!(Number.isInteger(input.periodSeconds) && input.periodSeconds >= 60 && input.periodSeconds % 60 === 0)) {
    throw Errors.metricPeriodInvalid(input.periodSeconds);
  }
  const unique = [...new Set(names)] as MetricName[];
  const periods = Math.ceil((input.end.getTime() - input.start.getTime()) / (input.periodSeconds * 1000));
  if (periods * unique.length > MAX_DATAPOINTS) throw Errors.tooManyDatapoints(periods * unique.length, MAX_DATAPOINTS);
  return {
    metricNames: unique,
    start: input.start.getTime(),
    end: input.end.getTime(),
    periodSeconds: input.periodSeconds,
    ascending: input.scanBy === "TimestampAscending",
  };
}

/** What an instance's guest does from `at` until the next point (SetInstanceWorkload). */
export interface WorkloadPoint {
  at: number;
  cpuPercent: number;
  diskIops: number;
  networkMbps: number;
}

/** An instance on a server over [from, to) (to is Infinity while it is still there). */
export interface StayRecord {
  instanceId: string;
  serverId: string;
  instanceType: string;
  from: number;
  to: number;
}

/** A stay with what the contention model needs of its guest. */
export interface GuestStay extends StayRecord {
  vCpus: number;
  networkPath: ContentionGuest["networkPath"];
  maxIops?: number;
  pinned?: boolean;
}

/** The workload in force at `t`: the last point at or before it, the idle default before the first. */
export function workloadAt(points: readonly WorkloadPoint[], t: number): WorkloadPoint {
  let low = 0;
  let high = points.length - 1;
  let found: WorkloadPoint | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (points[mid]!.at <= t) {
      found = points[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return found ?? { at: Number.NEGATIVE_INFINITY, ...idleWorkload };
}

/** The CPU demand timeline the credit model walks: each point's cpuPercent until the next, up to `until`. */
export function demandSegments(points: readonly WorkloadPoint[], since: number, until: number): DemandSegment[] {
  const segments: DemandSegment[] = [];
  let at = since;
  let cpuPercent = workloadAt(points, since).cpuPercent;
  for (const point of points) {
    if (point.at <= since) continue;
    if (point.at >= until) break;
    if (point.at > at) segments.push({ start: at, end: point.at, cpuPercent });
    at = point.at;
    cpuPercent = point.cpuPercent;
  }
  if (until > at) segments.push({ start: at, end: until, cpuPercent });
  return segments;
}

/** A stretch of time over which every input is constant, and the instance's contention then. */
export interface ContentionPiece {
  from: number;
  to: number;
  result: GuestContention;
}

export interface Neighbourhood {
  /** The instance's own stays, oldest first. */
  stays: readonly GuestStay[];
  servers: ReadonlyMap<string, ContentionServer>;
  /** Every stay on each of those servers that overlaps the window, the instance's own included. */
  staysOn: ReadonlyMap<string, readonly GuestStay[]>;
  workloads: ReadonlyMap<string, readonly WorkloadPoint[]>;
}

/** The instance's contention over [from, to), cut wherever a guest arrives or leaves or a workload changes. */
export function contentionPieces(instanceId: string, around: Neighbourhood, from: number, to: number): ContentionPiece[] {
  const pieces: ContentionPiece[] = [];
  for (const stay of around.stays) {
    const a = Math.max(stay.from, from);
    const b = Math.min(stay.to, to);
    const server = around.servers.get(stay.serverId);
    if (!(a < b) || !server) continue;
    const guests = (around.staysOn.get(stay.serverId) ?? []).filter((guest) => guest.from < b && guest.to > a);
    const cuts = new Set([a, b]);
    for (const guest of guests) {
      for (const t of [guest.from, guest.to]) if (t > a && t < b) cuts.add(t);
      for (const point of around.workloads.get(guest.instanceId) ?? []) if (point.at > a && point.at < b) cuts.add(point.at);
    }
    const times = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i + 1 < times.length; i++) {
      const at = times[i]!;
      const present = guests.filter((guest) => guest.from <= at && guest.to > at);
      const results = serverContention(
        server,
        present.map((guest) => ({
          instanceId: guest.instanceId,
          vCpus: guest.vCpus,
          networkPath: guest.networkPath,
          ...(guest.maxIops ? { maxIops: guest.maxIops } : {}),
          ...(guest.pinned ? { pinned: true } : {}),
          workload: workloadAt(around.workloads.get(guest.instanceId) ?? [], at),
        })),
      );
      const own = results.find((result) => result.instanceId === instanceId);
      if (own) pieces.push({ from: at, to: times[i + 1]!, result: own });
    }
  }
  return pieces;
}

export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

export type MetricSeriesSet = Record<MetricName, MetricSeries>;

/** The periods of the window that have started by `now`: CloudWatch has no datapoint for the future. */
export function periodStarts(query: MetricQuery, now: number): number[] {
  const starts: number[] = [];
  const period = query.periodSeconds * 1000;
  for (let t = query.start; t < query.end && t < now; t += period) starts.push(t);
  return starts;
}

/**
 * Every metric, one value per period in which the instance ran (a period it spent stopped has no datapoint, as in
 * CloudWatch), averaged over the time it ran. Credit metrics exist only for a burstable instance (`credits`).
 */
export function instanceMetrics(
  query: MetricQuery,
  now: number,
  pieces: readonly ContentionPiece[],
  credits?: { history: InstanceCredits; demand: readonly DemandSegment[] },
): MetricSeriesSet {
  const set = Object.fromEntries(metricNames.map((name): [MetricName, MetricSeries] => [name, { timestamps: [], values: [] }])) as MetricSeriesSet;
  const period = query.periodSeconds * 1000;
  const cursor = credits ? new CreditCursor(credits.history, credits.demand) : undefined;
  let previous = cursor?.advanceTo(query.start);
  let next = 0;
  for (const start of periodStarts(query, now)) {
    const end = Math.min(start + period, query.end, now);
    const sums = { delivered: 0, steal: 0, latency: 0, dom0: 0, dom0Time: 0, present: 0 };
    while (next < pieces.length && pieces[next]!.to <= start) next++;
    for (let i = next; i < pieces.length && pieces[i]!.from < end; i++) {
      const piece = pieces[i]!;
      const overlap = Math.min(piece.to, end) - Math.max(piece.from, start);
      if (overlap <= 0) continue;
      sums.present += overlap;
      sums.delivered += piece.result.deliveredCpuPercent * overlap;
      sums.steal += piece.result.cpuStealPercent * overlap;
      sums.latency += piece.result.diskLatencyMs * overlap;
      if (piece.result.dom0CpuPercent !== undefined) {
        sums.dom0 += piece.result.dom0CpuPercent * overlap;
        sums.dom0Time += overlap;
      }
    }
    const typeBefore = cursor?.runningType;
    const state = cursor?.advanceTo(end);
    const burstable = typeBefore ?? cursor?.runningType;
    if (sums.present === 0) {
      previous = state;
      continue;
    }
    const push = (name: MetricName, value: number) => {
      set[name].timestamps.push(start);
      set[name].values.push(value);
    };
    push("CPUStealPercent", sums.steal / sums.present);
    push("DiskLatencyMs", sums.latency / sums.present);
    if (sums.dom0Time > 0) push("Dom0CpuPercent", sums.dom0 / sums.dom0Time);
    if (state && burstable) {
      // Before the launch there is no state: the counters start at 0 (creditsAtLaunch).
      const used = state.used - (previous?.used ?? 0);
      // A burstable instance's CPU is what its credits let it run (held to baseline at zero balance in standard).
      push("CPUUtilization", (used / (burstable.vCpus * (sums.present / 60_000))) * 100);
      push("CPUCreditUsage", used);
      push("CPUCreditBalance", state.earned + state.launch);
      push("CPUSurplusCreditBalance", state.surplus);
      push("CPUSurplusCreditsCharged", state.charged - (previous?.charged ?? 0));
    } else {
      push("CPUUtilization", sums.delivered / sums.present);
    }
    previous = state;
  }
  return set;
}
