// The pure part of GetInstanceMetrics (src/domain/instance-metrics.ts): cutting a window at every change point,
// averaging pieces into periods, and walking a credit history once across a day of changing demand.
import { describe, expect, it } from "vitest";
import { CreditCursor, launchCredits } from "../../src/domain/credit-specification.js";
import { contentionPieces, demandSegments, instanceMetrics, metricQuery, type WorkloadPoint } from "../../src/domain/instance-metrics.js";

const start = Date.UTC(2026, 10, 22);
const day = 86_400_000;
const ids = Array.from({ length: 24 }, (_, i) => `i-${i}`);
/** 24 t3.micro on one Nitro server, each changing CPU and disk load every half hour of the day. */
const workloads = new Map(
  ids.map((id, i): [string, WorkloadPoint[]] => [
    id,
    Array.from({ length: 48 }, (_, h) => ({ at: start + h * 1_800_000, cpuPercent: (h * 7 + i * 13) % 100, diskIops: ((h + i) % 5) * 500, networkMbps: 1 })),
  ]),
);
const stays = ids.map((instanceId) => ({
  instanceId,
  serverId: "srv",
  instanceType: "t3.micro",
  from: start,
  to: Number.POSITIVE_INFINITY,
  vCpus: 2,
  networkPath: "ena" as const,
  maxIops: 11_800,
}));
const around = {
  stays: [stays[0]!],
  servers: new Map([["srv", { hypervisor: "nitro" as const, cores: 48, threadsPerCore: 2, singleTenant: false }]]),
  staysOn: new Map([["srv", stays]]),
  workloads,
};

describe("GetInstanceMetrics' model", () => {
  it("cuts the window only where something changes: one piece per half hour, not per minute", () => {
    const pieces = contentionPieces("i-0", around, start, start + day);
    expect(pieces).toHaveLength(48);
    expect(pieces[0]!.from).toBe(start);
    expect(pieces[47]!.to).toBe(start + day);
  });

  it("walks a day of changing demand at epoch-scale times to the end (a balance a hair from 0 once stalled the walk)", () => {
    const history = launchCredits("unlimited", "t3.micro", start);
    const demand = demandSegments(workloads.get("i-0")!, start, start + day);
    const cursor = new CreditCursor(history, demand);
    for (let minute = 1; minute <= 1440; minute++) expect(cursor.advanceTo(start + minute * 60_000)!.at).toBe(start + minute * 60_000);

    const query = metricQuery({ start: new Date(start), end: new Date(start + day), periodSeconds: 60 });
    const series = instanceMetrics(query, start + day, contentionPieces("i-0", around, start, start + day), { history, demand });
    expect(series.CPUCreditUsage.values).toHaveLength(1440);
    // Unlimited: never throttled, so each minute runs its demand (2 vCPUs x cpu% credits).
    expect(series.CPUCreditUsage.values[0]).toBeCloseTo((2 * workloads.get("i-0")![0]!.cpuPercent) / 100, 9);
  });

  it("averages a period over the pieces inside it, weighted by their time", () => {
    const half = { at: start + 30_000, cpuPercent: 50, diskIops: 0, networkMbps: 0 };
    const alone = {
      ...around,
      stays: [stays[0]!],
      staysOn: new Map([["srv", [stays[0]!]]]),
      workloads: new Map([["i-0", [{ ...half, at: start, cpuPercent: 10 }, half]]]),
    };
    const query = metricQuery({ start: new Date(start), end: new Date(start + 60_000), periodSeconds: 60 });
    const series = instanceMetrics(query, start + 60_000, contentionPieces("i-0", alone, start, start + 60_000));
    expect(series.CPUUtilization.values).toEqual([30]);
  });
});
