// The durable workflow engine with toy workflows on a real SQLite store: replay skips completed steps, a failing
// step retries and then the completed steps are compensated newest first, keep-artifacts, cancel at a step
// boundary, one lease for two runners, and a compensation interrupted by a stop resumes where it was.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/domain/clock.js";
import { type WorkflowDefinition, WorkflowRegistry } from "../../src/services/workflows/registry.js";
import { WorkflowRunner } from "../../src/services/workflows/runner.js";
import { openStore, type Store } from "../../src/store/database.js";
import { Prisma, type PrismaClient } from "../../src/store/generated/client.js";
import { WorkflowRepo } from "../../src/store/workflow-repo.js";

let store: Store;
let repo: WorkflowRepo;
const dir = mkdtempSync(join(tmpdir(), "mini-ec2-workflows-"));
const runners: WorkflowRunner[] = [];

beforeAll(async () => {
  store = await openStore(`file:${join(dir, "workflows.db")}`);
  repo = new WorkflowRepo(store.prisma);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A promise the test opens by hand, to hold a step in the middle. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return { open, reached, wait: () => (entered(), opened) };
}

/** Three steps a, b, c; records every body run and every compensation; c may fail, b may wait on a gate. */
function toy(options: { failC?: boolean; holdB?: ReturnType<typeof gate>; holdCompensationOfB?: ReturnType<typeof gate> } = {}) {
  const log: string[] = [];
  const definition: WorkflowDefinition<{ base: number }, number> = {
    name: "toy",
    version: 1,
    async run({ input, step }) {
      const a = await step.run("a", async () => (log.push("a"), input.base + 1), { compensate: async () => void log.push("undo a") });
      const b = await step.run(
        "b",
        async () => {
          log.push("b");
          await options.holdB?.wait();
          return a * 10;
        },
        {
          compensate: async () => {
            await options.holdCompensationOfB?.wait();
            log.push("undo b");
          },
        },
      );
      return step.run(
        "c",
        async ({ attempt }) => {
          log.push(`c#${attempt}`);
          if (options.failC) throw new Error("boom");
          return b + 1;
        },
        { retry: { attempts: 3, backoffMs: 1 } },
      );
    },
  };
  return { log, definition };
}

function runner(definition: WorkflowDefinition, owner: string, leaseMs = 30_000) {
  const made = new WorkflowRunner(repo, new WorkflowRegistry([definition]), { clock: systemClock, owner, leaseMs, sleep: async () => undefined });
  runners.push(made);
  return made;
}

/** Starts a run on a first runner and stops that runner while `hold` keeps it busy; the run stays in flight. */
async function startThenStop(definition: WorkflowDefinition, hold: ReturnType<typeof gate>, base: number): Promise<string> {
  const first = runner(definition, "first");
  const runId = await first.start("toy", { base });
  await hold.reached;
  const stopping = first.stop();
  hold.open();
  await stopping;
  return runId;
}

describe("the workflow runner", () => {
  it("runs the steps in order and stores each result and the output", async () => {
    const { log, definition } = toy();
    const one = runner(definition, "one");
    const runId = await one.start("toy", { base: 1 }, { accountId: "000000000000", region: "us-east-1" });
    const run = await one.settled(runId);
    expect(run).toMatchObject({ state: "succeeded", output: 21, accountId: "000000000000" });
    expect(run!.leaseOwner).toBeUndefined();
    expect(log).toEqual(["a", "b", "c#1"]);
    expect(await repo.steps(runId)).toMatchObject([
      { name: "a", state: "succeeded", attempts: 1, result: 2 },
      { name: "b", state: "succeeded", attempts: 1, result: 20 },
      { name: "c", state: "succeeded", attempts: 1, result: 21 },
    ]);
  });

  it("replays a stopped run from the top on another runner, skipping the steps already done", async () => {
    const holdB = gate();
    const { log, definition } = toy({ holdB });
    const runId = await startThenStop(definition, holdB, 4);
    expect(await repo.findRun(runId)).toMatchObject({ state: "running" });
    expect(log).toEqual(["a", "b"]);

    const second = runner(definition, "second");
    expect(await second.resumeInFlight()).toContain(runId);
    expect(await second.settled(runId)).toMatchObject({ state: "succeeded", output: 51 });
    expect(log).toEqual(["a", "b", "c#1"]);
  });

  it("retries a failing step by its policy, then fails and compensates the completed steps newest first", async () => {
    const { log, definition } = toy({ failC: true });
    const one = runner(definition, "one");
    const runId = await one.start("toy", { base: 1 });
    const run = await one.settled(runId);
    expect(run).toMatchObject({ state: "failed", failureReason: "step 'c' failed after 3 attempts: boom" });
    expect(log).toEqual(["a", "b", "c#1", "c#2", "c#3", "undo b", "undo a"]);
    expect(await repo.steps(runId)).toMatchObject([
      { name: "a", compensation: "done" },
      { name: "b", compensation: "done" },
      { name: "c", state: "failed", attempts: 3, error: "boom" },
    ]);
  });

  it("keeps what the completed steps made when asked to", async () => {
    const { log, definition } = toy({ failC: true });
    const one = runner(definition, "one");
    const runId = await one.start("toy", { base: 1 }, { keepArtifacts: true });
    expect(await one.settled(runId)).toMatchObject({ state: "failed", failureReason: expect.stringContaining("boom") });
    expect(log).not.toContain("undo a");
    expect((await repo.steps(runId)).every((step) => step.compensation === undefined)).toBe(true);
  });

  it("honours a cancel at the next step boundary, then compensates", async () => {
    const holdB = gate();
    const { log, definition } = toy({ holdB });
    const one = runner(definition, "one");
    const runId = await one.start("toy", { base: 1 });
    await holdB.reached;
    expect(await one.cancel(runId)).toBe(true);
    holdB.open();
    expect(await one.settled(runId)).toMatchObject({ state: "cancelled", failureReason: "cancelled on request" });
    expect(log).toEqual(["a", "b", "undo b", "undo a"]);
    expect(await one.cancel(runId)).toBe(false);
  });

  it("keeps a second runner off a run whose lease another holds", async () => {
    const holdB = gate();
    const { log, definition } = toy({ holdB });
    const one = runner(definition, "one");
    const runId = await one.start("toy", { base: 1 });
    await holdB.reached;
    const two = runner(definition, "two");
    await two.resumeInFlight();
    await two.settled(runId);
    expect(await repo.claim({ runId, owner: "two", now: new Date(), leaseMs: 30_000 })).toBe(false);
    expect(await repo.findRun(runId)).toMatchObject({ state: "running", leaseOwner: "one" });
    holdB.open();
    expect(await one.settled(runId)).toMatchObject({ state: "succeeded" });
    expect(log).toEqual(["a", "b", "c#1"]);
    // Once the run is released, a late claim finds nothing left to do.
    await two.stop();
    expect(log).toEqual(["a", "b", "c#1"]);
  });

  it("resumes an interrupted compensation without repeating the compensations already done", async () => {
    const holdCompensationOfB = gate();
    const { log, definition } = toy({ failC: true, holdCompensationOfB });
    const runId = await startThenStop(definition, holdCompensationOfB, 1);
    expect(await repo.findRun(runId)).toMatchObject({ state: "compensating" });
    expect(log).toEqual(["a", "b", "c#1", "c#2", "c#3", "undo b"]);

    const second = runner(definition, "second");
    await second.resumeInFlight();
    expect(await second.settled(runId)).toMatchObject({ state: "failed", failureReason: "step 'c' failed after 3 attempts: boom" });
    expect(log).toEqual(["a", "b", "c#1", "c#2", "c#3", "undo b", "undo a"]);
  });

  it("fails a run whose definition version this server does not know", async () => {
    const { definition } = toy();
    const runId = "wf-unknown-version";
    await repo.createRun({ runId, definition: "toy", version: 7, input: {}, keepArtifacts: false }, new Date());
    const one = runner(definition, "one");
    await one.resumeInFlight();
    expect(await one.settled(runId)).toMatchObject({ state: "failed", failureReason: "workflow 'toy' version 7 is not registered on this server" });
  });

  it("retries a transient store error, in its own writes or in a step's body, without counting it as a step failure", async () => {
    // SQLite's busy timeout reaches Prisma as P1008 "Operation has timed out": the database was busy, not wrong.
    const timedOut = (what: string) =>
      new Prisma.PrismaClientKnownRequestError(`Invalid \`prisma.${what}()\` invocation:\n\nOperation has timed out`, {
        code: "P1008",
        clientVersion: Prisma.prismaVersion.client,
      });
    let writes = 0;
    let thrown = 0;
    const flaky = store.prisma.$extends({
      query: {
        workflowRun: {
          async updateMany({ args, query }) {
            if (++writes % 3 === 2 && thrown < 8) throw (thrown++, timedOut("workflowRun.updateMany"));
            return query(args);
          },
        },
        workflowStep: {
          async update({ args, query }) {
            if (++writes % 3 === 2 && thrown < 8) throw (thrown++, timedOut("workflowStep.update"));
            return query(args);
          },
        },
      },
    }) as unknown as PrismaClient;
    const log: string[] = [];
    const definition: WorkflowDefinition<{ base: number }, number> = {
      name: "toy",
      version: 1,
      async run({ input, step }) {
        const a = await step.run("a", async () => (log.push("a"), input.base + 1));
        // The body's own reads and writes meet the busy database too: five times, more than its two attempts.
        const b = await step.run(
          "b",
          async ({ attempt }) => {
            log.push(`b#${attempt}`);
            if (attempt <= 5) throw timedOut("volume.findFirst");
            return a * 10;
          },
          { retry: { attempts: 2, backoffMs: 1 } },
        );
        return step.run("c", async () => (log.push("c"), b + 1));
      },
    };
    const one = new WorkflowRunner(new WorkflowRepo(flaky), new WorkflowRegistry([definition]), {
      clock: systemClock,
      owner: "flaky",
      leaseMs: 30_000,
      sleep: async () => undefined,
    });
    runners.push(one);
    const runId = await one.start("toy", { base: 1 });
    await expect.poll(async () => (await repo.findRun(runId))?.state, { timeout: 20_000, interval: 50 }).toBe("succeeded");
    expect(thrown).toBe(8);
    expect(await repo.findRun(runId)).toMatchObject({ output: 21 });
    expect(log.filter((entry) => entry.startsWith("b#"))).toEqual(["b#1", "b#2", "b#3", "b#4", "b#5", "b#6"]);
    const steps = await repo.steps(runId);
    expect(steps.map((step) => [step.name, step.state, step.failures])).toEqual([
      ["a", "succeeded", 0],
      ["b", "succeeded", 0],
      ["c", "succeeded", 0],
    ]);
  });
});
