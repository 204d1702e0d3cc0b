// A workflow survives SIGKILL: a real child process is killed in the middle of a step, after the step's side
// effect but before its result is stored; a new process resumes the run. Completed steps do not run again, the
// interrupted one runs again under the same idempotency key, and every side effect happened exactly once.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnScript } from "../support/processes.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { DATABASE_URL: `file:${join(dir, "crash.db")}`, EFFECTS_DIR: dir, LEASE_MS: "1000" };
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
    expect(readdirSync(dir).filter((name) => name.startsWith("effect-")).map((name) => readFileSync(join(dir, name), "utf8")).sort()).toEqual(["a", "b", "c"]);
    expect(lines("deduplicated.log")).toEqual(["b"]);
  });
});
