// The rules of durable workflow runs, without I/O: states, retry backoff, leases, and how a run ends.
// The engine itself is src/services/workflows/; docs/workflows.md explains the design.

export type RunState = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "compensating";
export type StepState = "running" | "succeeded" | "failed";
/** A step's compensation: done, or given up after its retries (the run still ends, with the reason). */
export type CompensationOutcome = "done" | "failed";

/** Runs a runner must pick up after a restart. */
export const inFlightStates: readonly RunState[] = ["queued", "running", "compensating"];

export function isInFlight(state: RunState): boolean {
  return inFlightStates.includes(state);
}

export interface RetryPolicy {
  /**
   * Attempts in all, the first included, that may end in the step's own error before it gives up. An attempt cut
   * short by a crash, a stop or a lost lease is not the step's failure and does not count, nor does a transient
   * store error (the database was busy).
   */
  attempts: number;
  backoffMs: number;
  factor: number;
  maxBackoffMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 3, backoffMs: 1000, factor: 2, maxBackoffMs: 60_000 };

/** The wait after failed attempt number `attempt` (1-based): exponential, capped. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxBackoffMs, policy.backoffMs * policy.factor ** (attempt - 1));
}

/** A run as stored: its definition and input, where it stands, and who holds its lease. */
export interface RunRecord {
  runId: string;
  definition: string;
  version: number;
  input: unknown;
  state: RunState;
  failureReason?: string;
  output?: unknown;
  accountId?: string;
  region?: string;
  keepArtifacts: boolean;
  clientToken?: string;
  cancelRequested: boolean;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A step as stored: its attempts, and its result once it succeeded (what makes it idempotent on replay). */
export interface StepRecord {
  name: string;
  seq: number;
  /** Every attempt begun, those a crash or a stop cut short included. */
  attempts: number;
  /** The attempts that ended in the step's own error: what its retry policy counts. */
  failures: number;
  state: StepState;
  /** The stored result, once the step succeeded. */
  result?: unknown;
  error?: string;
  completedAt?: Date;
  compensation?: CompensationOutcome;
}

/** A runner writing to a run: every write renews its lease until now + leaseMs, or fails with LeaseLost. */
export interface Holder {
  runId: string;
  owner: string;
  now: Date;
  leaseMs: number;
}

/** Thrown when the runner no longer holds the run's lease: it must stop touching the run. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`lost the lease on workflow run ${runId}`);
  }
}

export interface Lease {
  leaseOwner?: string;
  leaseExpiresAt?: Date;
}

/** How long until a lease someone else holds lapses (at least a moment, so a retry is never a busy loop). */
export function untilLeaseLapses(lease: Lease, now: Date): number {
  return Math.max(50, (lease.leaseExpiresAt?.getTime() ?? now.getTime()) - now.getTime() + 10);
}

/** What a run does when a step gives up or a cancel is honoured: compensate, unless asked to keep what was made. */
export function stateAfterStop(keepArtifacts: boolean, cancelled: boolean): RunState {
  if (!keepArtifacts) return "compensating";
  return cancelled ? "cancelled" : "failed";
}

/** How a compensating run ends: cancelled when a cancel started it, failed otherwise. */
export function stateAfterCompensation(cancelRequested: boolean): RunState {
  return cancelRequested ? "cancelled" : "failed";
}

export function stepFailureReason(stepName: string, attempts: number, error: unknown): string {
  return `step '${stepName}' failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${errorText(error)}`;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A step failure no retry can change (the source image cannot be converted, say): the runner gives up at once
 * instead of spending the retry policy on it.
 */
export class PermanentFailure extends Error {
  override readonly name = "PermanentFailure";
}

/** The wait before a pass over a run is tried again after `streak` transient store errors in a row. */
export function transientRetryDelay(streak: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, streak - 1));
}
