// A workflow survives SIGKILL: a real child process is killed in the middle of a step, after the step's side
// effect but before its result is stored; a new process resumes the run. Completed steps do not run again, the
// interrupted one runs again under the same idempotency key, and every side effect happened exactly once.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnScript } from "../support/processes.js";
import { copyTemplateDatabase } from "../support/server.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Migrated already (a copy of the suite's template), so the first child does not apply every migration; a lease
// short enough that the resuming child soon takes over the killed one's run.
copyTemplateDatabase(join(dir, "crash.db"));
const env = { DATABASE_URL: `file:${join(dir, "crash.db")}`, EFFECTS_DIR: dir, LEASE_MS: "300" };
const lines = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trim().split("\n") : []);

describe("a workflow killed mid-step", () => {
  it("resumes in a new process with each step's side effect made exactly once", async () => {
    const first = spawnScript("test/support/workflow-child.ts", { ...env, MODE: "start", HOLD: "b" });
    await expect.poll(() => existsSync(join(dir, "held")) || first.child.exitCode !== null, { timeout: 20_000, interval: 50 }).toBe(true);
    expect(first.child.exitCode, first.stderr()).toBeNull();
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    expect(lines("entered.log")).toEqual(["a", "b"]);

    const second = spawnScript("test/support/workflow-child.ts", { ...env, MODE: "resume" });
    expect(await second.exited, second.stderr()).toBe(0);
    const { run, steps } = JSON.parse(second.stdout().trim().split("\n").pop()!);
    expect(run).toMatchObject({ state: "succeeded", output: 21 });
    expect(steps).toMatchObject([
      { name: "a", attempts: 1, state: "succeeded", result: 2 },
      { name: "b", attempts: 2, state: "succeeded", result: 20 },
      { name: "c", attempts: 1, state: "succeeded", result: 21 },
    ]);
    // a ran once; b's body ran again after the kill; c once.
    expect(lines("entered.log")).toEqual(["a", "b", "b", "c"]);
    // One effect per step, and b's second attempt found its effect already made.
    expect(
      readdirSync(dir)
        .filter((name) => name.startsWith("effect-"))
        .map((name) => readFileSync(join(dir, name), "utf8"))
        .sort(),
    ).toEqual(["a", "b", "c"]);
    expect(lines("deduplicated.log")).toEqual(["b"]);
  });

  it("does not count attempts cut short by a crash against the step's retry limit", async () => {
    const again = mkdtempSync(join(tmpdir(), "mini-ec2-crash-again-"));
    try {
      copyTemplateDatabase(join(again, "crash.db"));
      // Leases short enough that each new process takes the run over quickly.
      const killed = { DATABASE_URL: `file:${join(again, "crash.db")}`, EFFECTS_DIR: again, LEASE_MS: "300", HOLD: "b", HOLD_ATTEMPTS: "4" };
      // b's retry policy allows 3 attempts; it is killed in 4 in a row, each after its effect.
      for (let attempt = 1; attempt <= 4; attempt++) {
        const child = spawnScript("test/support/workflow-child.ts", { ...killed, MODE: attempt === 1 ? "start" : "resume" });
        await expect.poll(() => existsSync(join(again, `held-${attempt}`)) || child.child.exitCode !== null, { timeout: 20_000, interval: 50 }).toBe(true);
        expect(child.child.exitCode, `attempt ${attempt}: ${child.stdout()} ${child.stderr()}`).toBeNull();
        child.child.kill("SIGKILL");
        expect(await child.exited).toBe("SIGKILL");
      }
      const last = spawnScript("test/support/workflow-child.ts", { ...killed, MODE: "resume" });
      expect(await last.exited, last.stderr()).toBe(0);
      const { run, steps } = JSON.parse(last.stdout().trim().split("\n").pop()!);
      expect(run).toMatchObject({ state: "succeeded", output: 21 });
      expect(steps).toMatchObject([
        { name: "a", attempts: 1, failures: 0, state: "succeeded" },
        { name: "b", attempts: 5, failures: 0, state: "succeeded" },
        { name: "c", attempts: 1, failures: 0, state: "succeeded" },
      ]);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);
});
