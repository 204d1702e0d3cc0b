// A process that runs a toy workflow on the real store, for the crash test: MODE=start starts a run and runs it;
// MODE=resume picks up what a killed process left in flight and prints the run and its steps as JSON.
// Each step notes that its body ran (entered.log) and makes one side effect per idempotency key (effect-* files,
// created with O_EXCL, so a repeated attempt finds it made); HOLD=<step> parks that step, after its effect, on its
// first attempt (its first HOLD_ATTEMPTS attempts), and writes a `held` (and `held-<attempt>`) marker so the test
// knows when to kill.
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/domain/clock.js";
import { type WorkflowDefinition, WorkflowRegistry } from "../../src/services/workflows/registry.js";
import { WorkflowRunner } from "../../src/services/workflows/runner.js";
import { openStore } from "../../src/store/database.js";
import { WorkflowRepo } from "../../src/store/workflow-repo.js";

const dir = process.env.EFFECTS_DIR!;

function effect(key: string, name: string): void {
  try {
    writeFileSync(join(dir, `effect-${key.replaceAll("/", "_")}`), name, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    appendFileSync(join(dir, "deduplicated.log"), `${name}\n`);
  }
}

const toy: WorkflowDefinition<{ base: number }, number> = {
  name: "toy",
  version: 1,
  async run({ input, step }) {
    const body = (name: string, value: () => number) =>
      step.run(name, async ({ attempt, idempotencyKey }) => {
        appendFileSync(join(dir, "entered.log"), `${name}\n`);
        effect(idempotencyKey, name);
        if (process.env.HOLD === name && attempt <= Number(process.env.HOLD_ATTEMPTS ?? 1)) {
          writeFileSync(join(dir, "held"), name);
          writeFileSync(join(dir, `held-${attempt}`), name);
          setInterval(() => undefined, 1000);
          await new Promise(() => undefined);
        }
        return value();
      });
    const a = await body("a", () => input.base + 1);
    const b = await body("b", () => a * 10);
    return body("c", () => b + 1);
  },
};

const store = await openStore(process.env.DATABASE_URL!);
const repo = new WorkflowRepo(store.prisma);
const runner = new WorkflowRunner(repo, new WorkflowRegistry([toy]), {
  clock: systemClock,
  owner: `child-${process.pid}`,
  leaseMs: Number(process.env.LEASE_MS ?? 1000),
});
let runId: string;
if (process.env.MODE === "start") {
  runId = await runner.start("toy", { base: 1 });
  process.stdout.write(`${runId}\n`);
} else {
  [runId] = (await runner.resumeInFlight()) as [string];
}
// The lease of a killed process lapses first; the runner retries on its own, so wait for the run to settle.
for (;;) {
  const run = (await repo.findRun(runId))!;
  if (!["queued", "running", "compensating"].includes(run.state)) {
    process.stdout.write(`${JSON.stringify({ run, steps: await repo.steps(runId) })}\n`);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await runner.stop();
await store.close();
