// Issue 12: a conversion whose server is SIGKILLed at seeded random moments, restarted each time, completes with
// exactly one AMI and nothing left behind; kills are no step's failure. The suite runs one seed and a few kills
// (each restart costs a server boot) at a tenth of the real delays; `npm run crash -- --seeds 20` runs the long
// version at real delays. MINI_EC2_CRASH_SEEDS,
// MINI_EC2_CRASH_FIRST_SEED and MINI_EC2_CRASH_KILLS widen this test the same way.
import { describe, expect, inject, it } from "vitest";
import { convertThroughKills, describeOutcome, problemsOf } from "../support/conversion-crash.js";

const count = Number(process.env.MINI_EC2_CRASH_SEEDS ?? 1);
const first = Number(process.env.MINI_EC2_CRASH_FIRST_SEED ?? 1);
const kills = Number(process.env.MINI_EC2_CRASH_KILLS ?? 3);
const seeds = Array.from({ length: count }, (_, i) => first + i);

describe("a conversion killed at random moments", () => {
  it.each(seeds)(
    `completes with one AMI and nothing left behind (seed %i, ${kills} kills)`,
    async (seed) => {
      const outcome = await convertThroughKills(seed, { kills, delays: "fast", templateDatabase: inject("templateDatabase") });
      expect(problemsOf(outcome), describeOutcome(outcome)).toEqual([]);
    },
    600_000,
  );
});
