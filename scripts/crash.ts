// The long crash run of issue 12: conversions SIGKILLed at seeded random moments, each restarted until it
// finishes; every one must succeed with exactly one AMI and nothing left behind.
//   npm run crash -- --seeds 20 [--first 1] [--kills 10] [--parallel 1]
// The suite runs a short version (test/conversion/random-crash.test.ts). Exits 1 if any seed fails.
import { parseArgs } from "node:util";
import { convertThroughKills, describeOutcome, problemsOf } from "../test/support/conversion-crash.js";

const { values } = parseArgs({
  options: {
    seeds: { type: "string", default: "20" },
    first: { type: "string", default: "1" },
    kills: { type: "string", default: "10" },
    parallel: { type: "string", default: "1" },
  },
});
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => Number(values.first) + i);
const kills = Number(values.kills);
const queue = [...seeds];
const failures: string[] = [];
const started = Date.now();

async function worker(): Promise<void> {
  for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
    const seedStarted = Date.now();
    try {
      const outcome = await convertThroughKills(seed, { kills });
      const problems = problemsOf(outcome);
      console.log(
        `${describeOutcome(outcome)} (${Math.round((Date.now() - seedStarted) / 1000)} s)${problems.length ? `\n  FAILED: ${problems.join("; ")}` : ""}`,
      );
      if (problems.length) failures.push(`seed ${seed}: ${problems.join("; ")}`);
    } catch (error) {
      console.log(`seed ${seed}: ERROR ${error instanceof Error ? error.stack : String(error)}`);
      failures.push(`seed ${seed}: ${String(error)}`);
    }
  }
}

await Promise.all(Array.from({ length: Math.max(1, Number(values.parallel)) }, worker));
console.log(`${seeds.length - failures.length}/${seeds.length} seeds passed, ${kills} kills each, in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(failures.length ? 1 : 0);
