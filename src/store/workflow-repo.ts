// Workflow runs and steps. Every write a runner makes on a run first renews its lease with a conditional UPDATE
// in the same transaction, so a runner whose lease lapsed (another took the run) cannot record anything.
// The boot sweep (inFlight) reads across accounts on purpose: runs are the server's work, not one caller's.
import { type CompensationOutcome, type Holder, LeaseLost, type RunRecord, type RunState, type StepRecord, type StepState } from "../domain/workflows.js";
import type { Prisma, PrismaClient, WorkflowRun as RunRow, WorkflowStep as StepRow } from "./generated/client.js";
import { fitsOneStatement, keepListed } from "./bound-ids.js";
import type { Sql } from "./sql.js";

export class WorkflowRepo {
  constructor(
    private readonly prisma: PrismaClient,
    /** For the boot sweep's first look: a start with nothing in flight then makes no Prisma query (database.ts). */
    private readonly sql?: Sql,
  ) {}

  async createRun(
    run: Pick<RunRecord, "runId" | "definition" | "version" | "input" | "accountId" | "region" | "keepArtifacts" | "clientToken">,
    now: Date,
  ): Promise<void> {
    await this.prisma.workflowRun.create({
      data: {
        ...run,
        input: JSON.stringify(run.input ?? null),
        accountId: run.accountId ?? null,
        region: run.region ?? null,
        clientToken: run.clientToken ?? null,
        state: "queued",
        createdAt: now,
        updatedAt: now,
      },
    });
  }

  /** One account's runs of a definition in a region (all, or these ids), oldest first: what its API describes. */
  async runsOf(scope: { accountId: string; region: string }, definition: string, runIds?: readonly string[]): Promise<RunRecord[]> {
    const found = await this.prisma.workflowRun.findMany({
      where: {
        accountId: scope.accountId,
        region: scope.region,
        definition,
        ...(runIds?.length && fitsOneStatement(runIds) ? { runId: { in: [...runIds] } } : {}),
      },
      orderBy: [{ createdAt: "asc" }, { runId: "asc" }],
    });
    const rows = keepListed(found, runIds, (row) => row.runId);
    return rows.map(toRun);
  }

  async findByClientToken(scope: { accountId: string; region: string }, clientToken: string): Promise<RunRecord | undefined> {
    const row = await this.prisma.workflowRun.findFirst({ where: { accountId: scope.accountId, region: scope.region, clientToken } });
    return row ? toRun(row) : undefined;
  }

  async findRun(runId: string): Promise<RunRecord | undefined> {
    const row = await this.prisma.workflowRun.findUnique({ where: { runId } });
    return row ? toRun(row) : undefined;
  }

  async inFlight(): Promise<RunRecord[]> {
    if (this.sql && !this.sql.get(`SELECT 1 FROM "WorkflowRun" WHERE "state" IN ('queued', 'running', 'compensating') LIMIT 1`)) return [];
    const rows = await this.prisma.workflowRun.findMany({ where: { state: { in: ["queued", "running", "compensating"] } }, orderBy: { createdAt: "asc" } });
    return rows.map(toRun);
  }

  /** Takes (or renews) the lease if nobody else holds a live one: one conditional UPDATE, so two runners cannot both win. */
  async claim(holder: Holder): Promise<boolean> {
    return (await renew(this.prisma, holder, true)) === 1;
  }

  async renew(holder: Holder): Promise<boolean> {
    return (await renew(this.prisma, holder, false)) === 1;
  }

  async release(runId: string, owner: string): Promise<void> {
    await this.prisma.workflowRun.updateMany({ where: { runId, leaseOwner: owner }, data: { leaseOwner: null, leaseExpiresAt: null } });
  }

  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await this.prisma.workflowStep.findMany({ where: { runId }, orderBy: { seq: "asc" } });
    return rows.map(toStep);
  }

  /** Records the start of an attempt before the step's body runs, so a crash in the body still shows in `attempts`. */
  async beginAttempt(holder: Holder, name: string): Promise<number> {
    return this.held(holder, async (tx) => {
      const existing = await tx.workflowStep.findUnique({ where: { runId_name: { runId: holder.runId, name } } });
      if (existing) {
        await tx.workflowStep.update({ where: { runId_name: { runId: holder.runId, name } }, data: { attempts: existing.attempts + 1, state: "running" } });
        return existing.attempts + 1;
      }
      const seq = await tx.workflowStep.count({ where: { runId: holder.runId } });
      await tx.workflowStep.create({ data: { runId: holder.runId, name, seq, attempts: 1, state: "running" } });
      return 1;
    });
  }

  async completeStep(holder: Holder, name: string, result: unknown): Promise<void> {
    await this.held(holder, (tx) =>
      tx.workflowStep.update({
        where: { runId_name: { runId: holder.runId, name } },
        data: { state: "succeeded", result: JSON.stringify({ value: result ?? null }), error: null, completedAt: holder.now },
      }),
    );
  }

  /** Records an attempt that failed with the step's own error; returns how many have. */
  async failAttempt(holder: Holder, name: string, error: string): Promise<number> {
    const step = await this.held(holder, (tx) =>
      tx.workflowStep.update({
        where: { runId_name: { runId: holder.runId, name } },
        data: { state: "failed", error, failures: { increment: 1 } },
        select: { failures: true },
      }),
    );
    return step.failures;
  }

  async recordCompensation(holder: Holder, name: string, outcome: CompensationOutcome, error?: string): Promise<void> {
    await this.held(holder, (tx) =>
      tx.workflowStep.update({
        where: { runId_name: { runId: holder.runId, name } },
        data: { compensation: outcome, compensatedAt: holder.now, ...(error ? { error } : {}) },
      }),
    );
  }

  async setState(holder: Holder, state: RunState, fields: { failureReason?: string; output?: unknown } = {}): Promise<void> {
    await this.held(holder, (tx) =>
      tx.workflowRun.update({
        where: { runId: holder.runId },
        data: {
          state,
          ...(fields.failureReason !== undefined ? { failureReason: fields.failureReason } : {}),
          ...("output" in fields ? { output: JSON.stringify(fields.output ?? null) } : {}),
        },
      }),
    );
  }

  /** Stores a cancel request for a run still in flight; honoured by its runner at the next step boundary. */
  async requestCancel(runId: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.workflowRun.updateMany({
      where: { runId, state: { in: ["queued", "running"] } },
      data: { cancelRequested: true, updatedAt: now },
    });
    return count === 1;
  }

  async cancelRequested(runId: string): Promise<boolean> {
    return (await this.prisma.workflowRun.findUnique({ where: { runId }, select: { cancelRequested: true } }))?.cancelRequested === true;
  }

  /** Runs `write` only while the holder's lease is live, renewing it first in the same transaction. */
  private async held<T>(holder: Holder, write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      if ((await renew(tx, holder, false)) !== 1) throw new LeaseLost(holder.runId);
      return write(tx);
    });
  }
}

async function renew(db: PrismaClient | Prisma.TransactionClient, holder: Holder, takeFree: boolean): Promise<number> {
  const { runId, owner, now, leaseMs } = holder;
  // A lease that lapsed while nobody took it is still this owner's to renew: the clock may have been moved ahead
  // (AdvanceClock) past its expiry. Another runner that claimed the run has changed leaseOwner, and then this fails.
  const mine = { leaseOwner: owner };
  const where = takeFree ? { runId, OR: [mine, { leaseOwner: null }, { leaseExpiresAt: { lte: now } }] } : { runId, ...mine };
  const { count } = await db.workflowRun.updateMany({ where, data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), updatedAt: now } });
  return count;
}

function toRun(row: RunRow): RunRecord {
  return {
    runId: row.runId,
    definition: row.definition,
    version: row.version,
    input: JSON.parse(row.input),
    state: row.state as RunState,
    ...(row.failureReason !== null ? { failureReason: row.failureReason } : {}),
    ...(row.output !== null ? { output: JSON.parse(row.output) } : {}),
    ...(row.accountId !== null ? { accountId: row.accountId } : {}),
    ...(row.region !== null ? { region: row.region } : {}),
    keepArtifacts: row.keepArtifacts,
    ...(row.clientToken !== null ? { clientToken: row.clientToken } : {}),
    cancelRequested: row.cancelRequested,
    ...(row.leaseOwner !== null ? { leaseOwner: row.leaseOwner } : {}),
    ...(row.leaseExpiresAt !== null ? { leaseExpiresAt: row.leaseExpiresAt } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toStep(row: StepRow): StepRecord {
  return {
    name: row.name,
    seq: row.seq,
    attempts: row.attempts,
    failures: row.failures,
    state: row.state as StepState,
    ...(row.result !== null ? { result: (JSON.parse(row.result) as { value: unknown }).value } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.completedAt !== null ? { completedAt: row.completedAt } : {}),
    ...(row.compensation !== null ? { compensation: row.compensation as CompensationOutcome } : {}),
  };
}
