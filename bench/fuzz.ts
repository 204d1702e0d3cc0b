// `npm run bench -- fuzz`: the suite's fuzz run (test/support/fuzz.ts) made long, against the bench's server:
// every operation once, then FUZZ_REQUESTS (default 5000) seeded requests, mostly to implemented operations. A 5xx
// other than EC2's own, or an answer over a second, is printed with the request that caused it.
import { defaultFuzzSeed, describeFuzz, FuzzGenerator, type FuzzOperation, fuzzOperations, seededRandom, sendFuzz, serverFault } from "../test/support/fuzz.js";
import type { Scenario } from "./harness.js";

export function fuzzScenario(endpoint: string, problems: string[]): Scenario {
  const seed = Number(process.env.FUZZ_SEED ?? defaultFuzzSeed);
  const calls = Number(process.env.FUZZ_REQUESTS ?? 5000);
  const generator = new FuzzGenerator(seed);
  const random = seededRandom(seed ^ 0x5eed);
  const all = fuzzOperations();
  const implemented: FuzzOperation[] = [];
  const send = async (operation: FuzzOperation) => {
    const outcome = await sendFuzz(endpoint, generator.request(operation));
    const fault = serverFault(outcome) ?? (outcome.ms > 1000 ? `${Math.round(outcome.ms)} ms` : undefined);
    if (fault) problems.push(`${fault} <- ${describeFuzz(outcome.request)}`);
    return outcome;
  };
  return {
    name: `fuzz (seed ${seed}, every operation, mutated)`,
    calls,
    concurrency: 1,
    warmup: 0,
    async setup() {
      for (const operation of all) {
        const { response } = await send(operation);
        if (response.code !== "Unsupported" && response.code !== "InvalidAction") implemented.push(operation);
      }
    },
    call: () => {
      const pool = random() < 0.9 ? implemented : all;
      return send(pool[Math.floor(random() * pool.length)]!);
    },
  };
}
