// The durable workflow runner. A run is replayed from the top each time it is picked up: completed steps return
// their stored results without running, so a restart resumes where the last process stopped. A lease keeps two
// runners (or two processes) off one run. A step retries by its policy, which counts only the step's own errors:
// an attempt cut short by a crash or a stop, or a transient store error (the database was busy), is tried again
// without counting. When a step gives up, or a cancel is honoured at a step boundary, the compensations of completed steps run newest first, each recorded, so a crash
// during compensation resumes it too. docs/workflows.md tells the whole story.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../../domain/clock.js";
import {
  backoffDelay,
  defaultRetry,
  errorText,
  type Holder,
  PermanentFailure,
  isInFlight,
  LeaseLost,
  type RetryPolicy,
  type RunRecord,
  stateAfterCompensation,
  stateAfterStop,
  type StepRecord,
  stepFailureReason,
  transientRetryDelay,
  untilLeaseLapses,
} from "../../domain/workflows.js";
import type { Logger } from "../../log.js";
import { isTransientStoreError } from "../../store/transient-errors.js";
import type { WorkflowRepo } from "../../store/workflow-repo.js";
import type { StepContext, StepOptions, WorkflowContext, WorkflowDefinition, WorkflowRegistry } from "./registry.js";

export interface RunnerOptions {
  clock: Clock;
  /** Who holds leases; unique per process by default. */
  owner?: string;
  leaseMs?: number;
  /** Waits between retries; a test may make them instant. */
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

export interface StartOptions {
  accountId?: string;
  region?: string;
  /** On failure or cancel, keep what the completed steps made: no compensation. */
  keepArtifacts?: boolean;
  /** The run's id, when the caller names it (the conversion uses EC2-shaped task ids); wf-<uuid> otherwise. */
  runId?: string;
  /** The client's idempotency token; unique per account and region among runs. */
  clientToken?: string;
}

/** The runner is stopping, or lost the lease: leave the run as it is for whoever resumes it. */
class Stop extends Error {}
class Cancelled extends Error {}
class StepGaveUp extends Error {}
/** Collecting compensations reached a step that never completed: nothing after it has run. */
class Halt extends Error {}

interface Compensation {
  fn: (result: unknown, context: StepContext) => Promise<void>;
  retry: RetryPolicy;
}

export class WorkflowRunner {
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly active = new Map<string, Promise<void>>();
  private readonly lost = new Set<string>();
  /** Transient store errors in a row, per run: the next pass waits longer. */
  private readonly transientStreak = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  private wake!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(
    private readonly repo: WorkflowRepo,
    private readonly registry: WorkflowRegistry,
    private readonly options: RunnerOptions,
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /** Stores a queued run of the latest version of `name` and starts it here. */
  async start(name: string, input: unknown, options: StartOptions = {}): Promise<string> {
    const definition = this.registry.latest(name);
    if (!definition) throw new Error(`no workflow named '${name}' is registered`);
    const runId = options.runId ?? `wf-${randomUUID()}`;
    await this.repo.createRun(
      {
        runId,
        definition: name,
        version: definition.version,
        input,
        accountId: options.accountId,
        region: options.region,
        keepArtifacts: options.keepArtifacts === true,
        clientToken: options.clientToken,
      },
      this.options.clock.now(),
    );
    this.kick(runId);
    return runId;
  }

  /** Asks a queued or running run to stop at its next step boundary and compensate; false when it is not in flight. */
  cancel(runId: string): Promise<boolean> {
    return this.repo.requestCancel(runId, this.options.clock.now());
  }

  /** At boot: picks up every run that was in flight; runs whose lease is still held elsewhere are retried when it lapses. */
  async resumeInFlight(): Promise<string[]> {
    const runs = await this.repo.inFlight();
    for (const run of runs) this.kick(run.runId);
    return runs.map((run) => run.runId);
  }

  /** Resolves once this runner's current pass over the run has ended, with the run as stored. */
  async settled(runId: string): Promise<RunRecord | undefined> {
    await this.active.get(runId);
    return this.repo.findRun(runId);
  }

  /** Stops at the next step boundary of every run, releases the leases, and cancels pending retries. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.active.values());
  }

  private kick(runId: string): void {
    if (this.stopping || this.active.has(runId)) return;
    let retryInMs: number | undefined;
    const pass = this.execute(runId)
      .catch((error: unknown) => {
        if (isTransientStoreError(error)) {
          // The database was busy: the run is left as it is, and a new pass replays it shortly.
          const streak = (this.transientStreak.get(runId) ?? 0) + 1;
          this.transientStreak.set(runId, streak);
          retryInMs = transientRetryDelay(streak);
          this.options.log?.({ level: "warn", workflowRun: runId, retryInMs, error: errorText(error) });
          return;
        }
        this.options.log?.({ level: "error", workflowRun: runId, error: error instanceof Error ? error.stack : String(error) });
      })
      .finally(() => {
        this.active.delete(runId);
        // Through the injected sleep (tests make it instant); a stop ends the wait, and kick then does nothing.
        if (retryInMs !== undefined) void this.pause(retryInMs).then(() => this.kick(runId));
      });
    this.active.set(runId, pass);
  }

  private holder(runId: string): Holder {
    return { runId, owner: this.owner, now: this.options.clock.now(), leaseMs: this.leaseMs };
  }

  private async execute(runId: string): Promise<void> {
    if (!(await this.repo.claim(this.holder(runId)))) {
      const run = await this.repo.findRun(runId);
      if (run && isInFlight(run.state)) this.retryLater(runId, untilLeaseLapses(run, this.options.clock.now()));
      return;
    }
    this.lost.delete(runId);
    const heartbeat = setInterval(
      () => {
        this.repo.renew(this.holder(runId)).then(
          (held) => held || this.lost.add(runId),
          // A busy database is no lost lease: the next beat, or the next write (which renews first), tries again.
          (error: unknown) => isTransientStoreError(error) || this.lost.add(runId),
        );
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      await this.drive(runId);
      this.transientStreak.delete(runId);
    } catch (error) {
      if (!(error instanceof Stop || error instanceof LeaseLost)) throw error;
      // Not stopping: the lease was lost (a heartbeat failed, or another runner took over). Look again once it
      // could have lapsed, so the run does not wait for the next restart.
      if (!this.stopping) this.retryLater(runId, this.leaseMs);
    } finally {
      clearInterval(heartbeat);
      if (!this.lost.has(runId)) await this.repo.release(runId, this.owner).catch(() => undefined);
    }
  }

  private retryLater(runId: string, ms: number): void {
    if (this.stopping) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick(runId);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async drive(runId: string): Promise<void> {
    let run = (await this.repo.findRun(runId))!;
    if (!isInFlight(run.state)) return;
    const definition = this.registry.get(run.definition, run.version);
    if (!definition) {
      await this.repo.setState(this.holder(runId), "failed", {
        failureReason: `workflow '${run.definition}' version ${run.version} is not registered on this server`,
      });
      return;
    }
    if (run.state === "queued") {
      await this.repo.setState(this.holder(runId), "running");
      run = { ...run, state: "running" };
    }
    if (run.state === "running") {
      const steps = new Map((await this.repo.steps(runId)).map((step) => [step.name, step]));
      try {
        const output = await definition.run(this.context(run, (name, fn, options) => this.runStep(run, steps, name, fn, options)));
        await this.repo.setState(this.holder(runId), "succeeded", { output });
        return;
      } catch (error) {
        if (error instanceof Stop || error instanceof LeaseLost || isTransientStoreError(error)) throw error;
        const cancelled = error instanceof Cancelled;
        const reason = cancelled
          ? "cancelled on request"
          : error instanceof StepGaveUp
            ? error.message
            : `the workflow failed outside its steps: ${errorText(error)}`;
        const next = stateAfterStop(run.keepArtifacts, cancelled);
        await this.repo.setState(this.holder(runId), next, { failureReason: reason });
        if (next !== "compensating") return;
      }
    }
    await this.compensate(runId, definition);
  }

  private context(run: RunRecord, step: WorkflowContext<unknown>["step"]["run"]): WorkflowContext<unknown> {
    return {
      runId: run.runId,
      input: run.input,
      ...(run.accountId ? { accountId: run.accountId } : {}),
      ...(run.region ? { region: run.region } : {}),
      step: { run: step },
    };
  }

  private async runStep<T>(
    run: RunRecord,
    steps: Map<string, StepRecord>,
    name: string,
    fn: (context: StepContext) => Promise<T>,
    options: StepOptions<T> = {},
  ): Promise<T> {
    this.checkGoing(run.runId);
    const stored = steps.get(name);
    if (stored?.state === "succeeded") return stored.result as T;
    if (await this.repo.cancelRequested(run.runId)) throw new Cancelled();
    const policy = { ...defaultRetry, ...options.retry };
    // Only the step's own errors count: an attempt a crash, a stop or a busy database cut short is tried again.
    // A step that had used them all up before the process stopped gives up again, with its last error.
    if (stored && stored.failures >= policy.attempts) throw new StepGaveUp(stepFailureReason(name, stored.failures, stored.error ?? "unknown error"));
    for (;;) {
      const attempt = await this.repo.beginAttempt(this.holder(run.runId), name);
      try {
        // Stored as JSON: the first run sees exactly what a replay will see.
        const result = roundTrip(await fn(this.stepContext(run.runId, attempt, `${run.runId}/${name}`)));
        await this.repo.completeStep(this.holder(run.runId), name, result);
        steps.set(name, { name, seq: -1, attempts: attempt, failures: stored?.failures ?? 0, state: "succeeded", result });
        this.transientStreak.delete(run.runId);
        return result as T;
      } catch (error) {
        if (error instanceof Stop || error instanceof LeaseLost || isTransientStoreError(error)) throw error;
        const failures = await this.repo.failAttempt(this.holder(run.runId), name, errorText(error));
        if (failures >= policy.attempts || error instanceof PermanentFailure) throw new StepGaveUp(stepFailureReason(name, failures, error));
        await this.pause(backoffDelay(policy, failures));
        this.checkGoing(run.runId);
        if (await this.repo.cancelRequested(run.runId)) throw new Cancelled();
      }
    }
  }

  /** Replays the workflow only to learn the completed steps' compensations, then runs the ones not yet done, newest first. */
  private async compensate(runId: string, definition: WorkflowDefinition): Promise<void> {
    const run = (await this.repo.findRun(runId))!;
    const steps = await this.repo.steps(runId);
    const compensations = new Map<string, Compensation>();
    try {
      await definition.run(
        this.context(run, async (name, _fn, options = {}) => {
          const stored = steps.find((step) => step.name === name);
          if (stored?.state !== "succeeded") throw new Halt();
          if (options.compensate) compensations.set(name, { fn: options.compensate as Compensation["fn"], retry: { ...defaultRetry, ...options.retry } });
          return stored.result as never;
        }),
      );
    } catch {
      // Halt, or the workflow's own failure once more: either way the compensations are collected.
    }
    const failures: string[] = [];
    const due = steps.filter((step) => step.state === "succeeded" && !step.compensation && compensations.has(step.name)).sort((a, b) => b.seq - a.seq);
    for (const step of due) {
      this.checkGoing(runId);
      const { fn, retry } = compensations.get(step.name)!;
      try {
        await this.withRetries(runId, retry, (attempt) => fn(step.result, this.stepContext(runId, attempt, `${runId}/${step.name}/compensate`)));
        await this.repo.recordCompensation(this.holder(runId), step.name, "done");
      } catch (error) {
        if (error instanceof Stop || error instanceof LeaseLost || isTransientStoreError(error)) throw error;
        failures.push(`compensation of '${step.name}' failed: ${errorText(error)}`);
        await this.repo.recordCompensation(this.holder(runId), step.name, "failed", errorText(error));
      }
    }
    const reason = [run.failureReason, ...failures].filter(Boolean).join("; ");
    await this.repo.setState(this.holder(runId), stateAfterCompensation(run.cancelRequested), { failureReason: reason });
  }

  private async withRetries(runId: string, policy: RetryPolicy, fn: (attempt: number) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (error) {
        // A busy database is not the compensation's failure: the pass ends, and the next one runs it again.
        if (isTransientStoreError(error) || attempt >= policy.attempts) throw error;
        await this.pause(backoffDelay(policy, attempt));
        this.checkGoing(runId);
      }
    }
  }

  private stepContext(runId: string, attempt: number, idempotencyKey: string): StepContext {
    return { runId, attempt, idempotencyKey, sleep: (ms) => this.pause(ms).then(() => this.checkGoing(runId)) };
  }

  private checkGoing(runId: string): void {
    if (this.stopping || this.lost.has(runId)) throw new Stop();
  }

  private pause(ms: number): Promise<void> {
    const sleep = this.options.sleep ?? ((wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait).unref()));
    return Promise.race([sleep(ms), this.stopped]);
  }
}

function roundTrip(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
