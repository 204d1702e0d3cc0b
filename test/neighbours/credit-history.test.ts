// The credit history an instance keeps (launch, mode changes, stops and starts: domain/credit-specification.ts) is
// enough for the credit model to compute its balances: replayed here against amounts derived from AWS's rates.
import { describe, expect, it } from "vitest";
import {
  changeCreditMode,
  creditsAfterLifecycle,
  creditStateFromHistory,
  type InstanceCredits,
  launchCreditMode,
  launchCredits,
} from "../../src/domain/credit-specification.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const launchedAt = Date.UTC(2026, 10, 22);

const stopAndStart = (credits: InstanceCredits, stopAt: number, startAt: number, instanceType: string) =>
  creditsAfterLifecycle(creditsAfterLifecycle(credits, "stop", instanceType, stopAt)!, "start", instanceType, startAt)!;

describe("replaying an instance's credit history", () => {
  it("a t2.micro: 30 launch credits and 6 an hour; a stop loses them all; a start brings launch credits again", () => {
    const credits = stopAndStart(launchCredits("standard", "t2.micro", launchedAt), launchedAt + 2 * HOUR, launchedAt + 3 * HOUR, "t2.micro");
    expect(creditStateFromHistory(credits, launchedAt + 1.5 * HOUR)).toMatchObject({ launch: 30, earned: 9 });
    // From the stop on (an event takes effect at its own time): nothing earned, nothing kept.
    expect(creditStateFromHistory(credits, launchedAt + 2 * HOUR)).toMatchObject({ launch: 0, earned: 0 });
    expect(creditStateFromHistory(credits, launchedAt + 4 * HOUR)).toMatchObject({ launch: 30, earned: 6 });
    expect(creditStateFromHistory(credits, launchedAt - MINUTE)).toBeUndefined();
  });

  it("a t3.micro keeps its earned credits across a stop of up to 7 days, not longer", () => {
    const launched = launchCredits("unlimited", "t3.micro", launchedAt);
    const stopAt = launchedAt + 10 * HOUR;
    const soon = stopAndStart(launched, stopAt, stopAt + 6 * DAY, "t3.micro");
    const late = stopAndStart(launched, stopAt, stopAt + 8 * DAY, "t3.micro");
    expect(creditStateFromHistory(soon, stopAt + 6 * DAY)!.earned).toBeCloseTo(120, 9);
    expect(creditStateFromHistory(late, stopAt + 8 * DAY)!.earned).toBe(0);
  });

  it("unlimited at 100% runs on surplus; the switch to standard charges it", () => {
    const launched = launchCredits("unlimited", "t3.micro", launchedAt);
    const switched = changeCreditMode(launched, "unlimited", "standard", launchedAt + HOUR);
    const busy = [{ start: launchedAt, end: launchedAt + 2 * HOUR, cpuPercent: 100 }];
    // 2 vCPUs at 100% spend 2 credits a minute against 0.2 earned: 1.8 a minute of surplus, 108 in the hour.
    expect(creditStateFromHistory(switched, launchedAt + HOUR - 1, busy)!.surplus).toBeCloseTo(108, 3);
    const after = creditStateFromHistory(switched, launchedAt + HOUR, busy)!;
    expect(after.surplus).toBe(0);
    expect(after.charged).toBeCloseTo(108, 9);
    // Standard at zero balance: held to baseline, no more surplus.
    expect(creditStateFromHistory(switched, launchedAt + 2 * HOUR, busy)).toMatchObject({ surplus: 0, earned: 0 });
    expect(changeCreditMode(switched, "standard", "standard", launchedAt + 3 * HOUR)).toBe(switched);
  });

  it("a start after a resize earns at the new type's rate, and a resize away from T stops the credits", () => {
    const launched = launchCredits("standard", "t3.micro", launchedAt);
    const resized = stopAndStart(launched, launchedAt + HOUR, launchedAt + 2 * HOUR, "t3.large");
    // 12 earned as a t3.micro, then 36 an hour as a t3.large.
    expect(creditStateFromHistory(resized, launchedAt + 3 * HOUR)!.earned).toBeCloseTo(48, 9);
    const away = stopAndStart(launched, launchedAt + HOUR, launchedAt + 2 * HOUR, "m5.large");
    expect(creditStateFromHistory(away, launchedAt + 3 * HOUR)).toBeUndefined();
  });
});

describe("the launch's mode", () => {
  it("is asked for, or the host's standard, or the account's default, or the family's", () => {
    expect(launchCreditMode({ instanceType: "t3.micro", onDedicatedHost: false, accountDefault: undefined })).toBe("unlimited");
    expect(launchCreditMode({ instanceType: "t2.micro", onDedicatedHost: false, accountDefault: undefined })).toBe("standard");
    expect(launchCreditMode({ instanceType: "t3.micro", onDedicatedHost: false, accountDefault: "standard" })).toBe("standard");
    expect(launchCreditMode({ instanceType: "t3.micro", onDedicatedHost: true, accountDefault: "unlimited" })).toBe("standard");
    expect(launchCreditMode({ instanceType: "t2.micro", requested: "unlimited", onDedicatedHost: false })).toBe("unlimited");
    expect(launchCreditMode({ instanceType: "m5.large", onDedicatedHost: false })).toBeUndefined();
    expect(() => launchCreditMode({ instanceType: "m5.large", requested: "standard", onDedicatedHost: false })).toThrow(/does not support T2 Unlimited/);
    expect(() => launchCreditMode({ instanceType: "t3.nano", requested: "unlimited", onDedicatedHost: true })).toThrow(/Dedicated Host/);
  });
});
