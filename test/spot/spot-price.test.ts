// The Spot price model alone (src/domain/spot-price.ts): the On-Demand fit, the curve's bounds, and the history as
// steps of the utilization the instances' lives trace.
import { describe, expect, it } from "vitest";
import { idleShare, onDemandPrice, priceHistory, spotPrice } from "../../src/domain/spot-price.js";

const type = (vCpus: number, gib: number) => ({ VCpuInfo: { DefaultVCpus: vCpus }, MemoryInfo: { SizeInMiB: gib * 1024 } });

describe("the Spot price model", () => {
  it("prices the C5 family at AWS's listed On-Demand prices, which the rates were fitted to", () => {
    expect(onDemandPrice(type(8, 16))).toBeCloseTo(0.34, 6);
    expect(onDemandPrice(type(16, 32))).toBeCloseTo(0.68, 6);
    expect(onDemandPrice(type(48, 96))).toBeCloseTo(2.04, 6);
  });

  it("rises with utilization from the idle share to On-Demand, and never above it", () => {
    const prices = [0, 0.25, 0.5, 0.75, 1, 1.5].map((u) => spotPrice(1, u));
    expect(prices[0]).toBeCloseTo(idleShare, 6);
    for (let i = 1; i < 5; i++) expect(prices[i]!).toBeGreaterThan(prices[i - 1]!);
    expect(prices[4]).toBe(1);
    expect(prices[5]).toBe(1);
  });

  it("reports the price in effect at the window's start and a step at each change inside it", () => {
    // 100 vCPUs: 50 from t=10 to t=30, 50 more from t=20 on.
    const intervals = [
      { startMs: 10, endMs: 30, vCpus: 50 },
      { startMs: 20, vCpus: 50 },
    ];
    const points = priceHistory(intervals, 100, 1, 15, 40, 0);
    expect(points.map((p) => p.at)).toEqual([10, 20, 30]);
    expect(points.map((p) => p.price)).toEqual([spotPrice(1, 0.5), spotPrice(1, 1), spotPrice(1, 0.5)]);
    // A window with no change inside it: the one price in effect, stamped when it was set.
    expect(priceHistory(intervals, 100, 1, 35, 40, 0)).toEqual([{ at: 30, price: spotPrice(1, 0.5) }]);
    expect(priceHistory([], 100, 1, 35, 40, 0)).toEqual([{ at: 0, price: idleShare }]);
  });
});
