// The burstable credit model against EC2's rules (host-life-facts §3): the times and amounts expected here are
// derived from the published rates, so a wrong rate or a wrong rule moves them.
import { describe, expect, it } from "vitest";
import {
  type BurstableType,
  burstableType,
  creditSeries,
  creditStateAt,
  creditsAtLaunch,
  creditsAtStart,
  creditsAtStop,
  defaultCreditMode,
  switchCreditMode,
} from "../../src/domain/burstable.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const launchedAt = Date.UTC(2026, 10, 22);
const typeOf = (name: string): BurstableType => burstableType(name)!;

describe("the per-type table", () => {
  it("caps earned credits at 24 hours of earnings, and baseline spending equals earnings", () => {
    for (const family of ["t2", "t3", "t3a", "t4g"]) {
      for (const size of ["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge"]) {
        const type = typeOf(`${family}.${size}`);
        expect(type.maxEarnedCredits).toBeCloseTo(type.creditsPerHour * 24, 9);
        // One credit is one vCPU at 100% for a minute: running at baseline spends what is earned.
        expect(type.vCpus * (type.baselinePercent / 100) * 60).toBeCloseTo(type.creditsPerHour, 9);
      }
    }
    expect(burstableType("m5.large")).toBeUndefined();
    expect(typeOf("t3.micro")).toMatchObject({ creditsPerHour: 12, maxEarnedCredits: 288, vCpus: 2, baselinePercent: 10, launchCredits: 0 });
    expect(typeOf("t2.2xlarge").launchCredits).toBe(240);
  });

  it("defaults T2 to standard, the others to unlimited, and a T3 on a Dedicated Host to standard", () => {
    expect(defaultCreditMode(typeOf("t2.micro"), false)).toBe("standard");
    expect(defaultCreditMode(typeOf("t4g.small"), false)).toBe("unlimited");
    expect(defaultCreditMode(typeOf("t3.large"), true)).toBe("standard");
  });
});

describe("a t3.micro in standard mode at 100%", () => {
  const type = typeOf("t3.micro");
  const burstStart = launchedAt + DAY;
  const fullBalance = creditStateAt(type, "standard", creditsAtLaunch(type, "standard", launchedAt), [], burstStart);
  const burst = [{ start: burstStart, end: burstStart + 6 * HOUR, cpuPercent: 100 }];
  // Spending 2 vCPU-minutes a minute while earning 12 an hour.
  const drainMinutes = type.maxEarnedCredits / (type.vCpus - type.creditsPerHour / 60);

  it("starts the burst with a day of earnings, then runs out when the rates say", () => {
    expect(fullBalance.earned).toBe(type.maxEarnedCredits);
    expect(drainMinutes).toBeCloseTo(160, 9);
    expect(creditStateAt(type, "standard", fullBalance, burst, burstStart + (drainMinutes - 1) * MINUTE).earned).toBeCloseTo(1.8, 6);
    expect(creditStateAt(type, "standard", fullBalance, burst, burstStart + drainMinutes * MINUTE).earned).toBe(0);
  });

  it("is then held to its baseline, spending exactly what it earns, with no surplus", () => {
    const series = creditSeries(type, "standard", fullBalance, burst, { start: burstStart, end: burstStart + 6 * HOUR, periodSeconds: 60 });
    expect(series.CPUUtilization.slice(0, drainMinutes).every((value) => Math.abs(value - 100) < 1e-9)).toBe(true);
    const afterwards = series.CPUUtilization.slice(drainMinutes);
    expect(afterwards.length).toBe(6 * 60 - drainMinutes);
    expect(afterwards.every((value) => Math.abs(value - type.baselinePercent) < 1e-6)).toBe(true);
    expect(series.CPUCreditUsage.at(-1)).toBeCloseTo(type.creditsPerHour / 60, 9);
    expect(series.CPUCreditBalance.slice(drainMinutes).every((value) => value === 0)).toBe(true);
    expect(series.CPUSurplusCreditBalance.every((value) => value === 0)).toBe(true);
  });
});

describe("a t3.micro in unlimited mode at 100%", () => {
  const type = typeOf("t3.micro");
  const surplusPerMinute = type.vCpus - type.creditsPerHour / 60;
  const minutesToCap = type.maxEarnedCredits / surplusPerMinute;
  const burst = [{ start: launchedAt, end: launchedAt + 4 * HOUR, cpuPercent: 100 }];
  const launched = creditsAtLaunch(type, "unlimited", launchedAt);

  it("is never throttled and accrues surplus, free while it stays under 24 hours of earnings", () => {
    const series = creditSeries(type, "unlimited", launched, burst, { start: launchedAt, end: launchedAt + 4 * HOUR, periodSeconds: 3600 });
    expect(series.CPUUtilization.every((value) => Math.abs(value - 100) < 1e-9)).toBe(true);
    expect(series.CPUSurplusCreditBalance[0]).toBeCloseTo(60 * surplusPerMinute, 9);
    expect(series.CPUSurplusCreditBalance[1]).toBeCloseTo(120 * surplusPerMinute, 9);
    expect(series.CPUSurplusCreditsCharged.slice(0, 2)).toEqual([0, 0]);
  });

  it("is charged, at the end of each hour, for the surplus spent beyond the cap", () => {
    const series = creditSeries(type, "unlimited", launched, burst, { start: launchedAt, end: launchedAt + 4 * HOUR, periodSeconds: 3600 });
    expect(series.CPUSurplusCreditBalance.slice(2)).toEqual([type.maxEarnedCredits, type.maxEarnedCredits]);
    expect(series.CPUSurplusCreditsCharged[2]).toBeCloseTo((180 - minutesToCap) * surplusPerMinute, 9);
    expect(series.CPUSurplusCreditsCharged[3]).toBeCloseTo(60 * surplusPerMinute, 9);
    // Mid-hour the excess is owed but not yet charged.
    const midHour = creditStateAt(type, "unlimited", launched, burst, launchedAt + 3.5 * HOUR);
    expect(midHour.pendingCharge).toBeCloseTo(30 * surplusPerMinute, 9);
  });

  it("pays the surplus down with later earnings before earning anything, so repaid surplus is never charged", () => {
    const short = [{ start: launchedAt, end: launchedAt + HOUR, cpuPercent: 100 }];
    const repaidAfter = (60 * surplusPerMinute) / (type.creditsPerHour / 60);
    const paying = creditStateAt(type, "unlimited", launched, short, launchedAt + HOUR + (repaidAfter / 2) * MINUTE);
    expect(paying.surplus).toBeCloseTo(30 * surplusPerMinute, 9);
    expect(paying.earned).toBe(0);
    const repaid = creditStateAt(type, "unlimited", launched, short, launchedAt + HOUR + (repaidAfter + 60) * MINUTE);
    expect(repaid.surplus).toBe(0);
    expect(repaid.earned).toBeCloseTo(type.creditsPerHour, 9);
    expect(repaid.charged).toBe(0);
  });

  it("charges the surplus at a stop and at a switch to standard", () => {
    const inDebt = creditStateAt(type, "unlimited", launched, burst, launchedAt + HOUR);
    expect(creditsAtStop(type, inDebt)).toMatchObject({ surplus: 0, charged: inDebt.surplus });
    expect(switchCreditMode(inDebt, "unlimited", "standard")).toMatchObject({ surplus: 0, charged: inDebt.surplus });
  });
});

describe("T2 launch credits", () => {
  const type = typeOf("t2.micro");
  const launched = creditsAtLaunch(type, "standard", launchedAt);

  it("stand outside the cap: an idle t2.micro reaches 30 + 144 = 174 and stays there", () => {
    expect(launched.launch).toBe(30);
    for (const days of [1, 2]) {
      const idle = creditStateAt(type, "standard", launched, [], launchedAt + days * DAY);
      expect(idle.earned + idle.launch).toBe(type.launchCredits + type.maxEarnedCredits);
      expect(idle.earned + idle.launch).toBe(174);
    }
  });

  it("are spent first while earnings still accrue", () => {
    const busy = [{ start: launchedAt, end: launchedAt + HOUR, cpuPercent: 100 }];
    const launchGoneAfter = type.launchCredits / type.vCpus; // minutes at 100%
    const gone = creditStateAt(type, "standard", launched, busy, launchedAt + launchGoneAfter * MINUTE);
    expect(gone.launch).toBe(0);
    expect(gone.earned).toBeCloseTo((launchGoneAfter * type.creditsPerHour) / 60, 9);
    const series = creditSeries(type, "standard", launched, busy, { start: launchedAt, end: launchedAt + HOUR, periodSeconds: 60 });
    const throttledFrom = series.CPUUtilization.findIndex((value) => value < 100 - 1e-9);
    // The earned credits then last gone.earned / (1 - 0.1) minutes more.
    expect(throttledFrom).toBe(Math.floor(launchGoneAfter + gone.earned / (type.vCpus - type.creditsPerHour / 60)));
  });

  it("are removed by a switch to unlimited, and given again at each start", () => {
    expect(switchCreditMode(launched, "standard", "unlimited").launch).toBe(0);
    const idle = creditStateAt(type, "standard", launched, [], launchedAt + DAY);
    const stopped = creditsAtStop(type, idle);
    expect(stopped.earned + stopped.launch).toBe(0);
    expect(creditsAtStart(type, "standard", stopped, launchedAt + 2 * DAY)).toMatchObject({ earned: 0, launch: type.launchCredits });
  });
});

describe("credits after a stop", () => {
  it("a T3 keeps its earned credits for 7 days, a T2 loses them", () => {
    const t3 = typeOf("t3.small");
    const idle = creditStateAt(t3, "unlimited", creditsAtLaunch(t3, "unlimited", launchedAt), [], launchedAt + DAY);
    const stopped = creditsAtStop(t3, idle);
    expect(creditsAtStart(t3, "unlimited", stopped, stopped.at + 7 * DAY).earned).toBe(t3.maxEarnedCredits);
    expect(creditsAtStart(t3, "unlimited", stopped, stopped.at + 7 * DAY + MINUTE).earned).toBe(0);
    const t2 = typeOf("t2.small");
    const t2Idle = creditStateAt(t2, "standard", creditsAtLaunch(t2, "unlimited", launchedAt), [], launchedAt + DAY);
    expect(t2Idle.earned).toBe(t2.maxEarnedCredits);
    expect(creditsAtStart(t2, "unlimited", creditsAtStop(t2, t2Idle), launchedAt + DAY + MINUTE).earned).toBe(0);
  });
});

describe("the computation is analytic", () => {
  const type = typeOf("t3.micro");
  const launched = creditsAtLaunch(type, "standard", launchedAt);

  it("costs a few pieces for a day of constant demand, however fine the clock", () => {
    const day = [{ start: launchedAt, end: launchedAt + DAY, cpuPercent: 100 }];
    const series = creditSeries(type, "standard", launched, day, { start: launchedAt, end: launchedAt + DAY, periodSeconds: 86_400 });
    expect(series.CPUCreditUsage[0]).toBeCloseTo((type.creditsPerHour / 60) * 24 * 60, 6);
    expect(series.pieces).toBeLessThanOrEqual(2);
  });

  it("costs one piece per period and per demand change, plus one per balance breakpoint, for a day of 1-minute samples", () => {
    const samples = Array.from({ length: 1440 }, (_, i) => ({
      start: launchedAt + i * MINUTE,
      end: launchedAt + (i + 1) * MINUTE,
      cpuPercent: (i * 37) % 101,
    }));
    const series = creditSeries(type, "unlimited", launched, samples, { start: launchedAt, end: launchedAt + DAY, periodSeconds: 60 });
    expect(series.timestamps.length).toBe(1440);
    // Each minute is one period and one segment; breakpoints inside a minute can add a few.
    expect(series.pieces).toBeGreaterThanOrEqual(1440);
    expect(series.pieces).toBeLessThan(1440 * 2);
    const usage = series.CPUCreditUsage.reduce((sum, value) => sum + value, 0);
    const demanded = samples.reduce((sum, s) => sum + (type.vCpus * s.cpuPercent) / 100, 0);
    expect(usage).toBeCloseTo(demanded, 6);
  });
});
