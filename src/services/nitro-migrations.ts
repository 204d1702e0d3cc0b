// StartNitroMigration and DescribeNitroMigrations: the Xen to Nitro migration's API. Start answers at once with the
// pre-flight report (the runbook's checks and what the guest lacks) and records a durable run, which repeats the
// checks as its first step and, for FullMigration, migrates a clone (src/services/workflows/migrate-xen-to-nitro.ts).
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import {
  type MigrationOperationType,
  migrationOperationTypes,
  type NitroMigrationInput,
  nitroMigrationWorkflowName,
  plannedMigrationSteps,
} from "../domain/nitro-migration.js";
import type { RunRecord, StepRecord } from "../domain/workflows.js";
import type { WorkflowRepo } from "../store/workflow-repo.js";
import type { MigrationReport, NitroMigrationChecks } from "./nitro-migration-checks.js";
import type { WorkflowRunner } from "./workflows/runner.js";

export interface StartMigrationRequest {
  instanceId: string;
  targetInstanceType: string;
  operationType?: string;
  clientToken?: string;
}

export interface MigrationView {
  run: RunRecord & { input: NitroMigrationInput };
  /** Every planned step, in order; those not started yet have no record. */
  steps: Array<{ name: string; does: string; record?: StepRecord }>;
}

export class NitroMigrationService {
  constructor(
    private readonly runner: WorkflowRunner,
    private readonly runs: WorkflowRepo,
    private readonly checks: NitroMigrationChecks,
  ) {}

  async start(caller: Caller, request: StartMigrationRequest): Promise<{ view: MigrationView; report: MigrationReport }> {
    const operationType = request.operationType ?? "CheckOnly";
    if (!(migrationOperationTypes as readonly string[]).includes(operationType)) throw Errors.nitroMigrationOperationType(operationType);
    const input: NitroMigrationInput = {
      instanceId: request.instanceId,
      targetInstanceType: request.targetInstanceType,
      operationType: operationType as MigrationOperationType,
    };
    // The instance must be the caller's and the type must exist: refused at once, before any run is recorded.
    const report = await this.checks.report(caller, input);
    if (request.clientToken) {
      const earlier = await this.runs.findByClientToken(caller, request.clientToken);
      if (earlier) {
        if (earlier.definition !== nitroMigrationWorkflowName || JSON.stringify(earlier.input) !== JSON.stringify(input))
          throw Errors.idempotentParameterMismatch(request.clientToken);
        return { view: await this.view(earlier), report };
      }
    }
    const runId = await this.runner.start(nitroMigrationWorkflowName, input, {
      accountId: caller.accountId,
      region: caller.region,
      runId: newId("nitro-mig"),
      ...(request.clientToken ? { clientToken: request.clientToken } : {}),
    });
    return { view: (await this.describe(caller, [runId]))[0]!, report };
  }

  /** The caller's migrations in its region (all, or exactly these ids), oldest first; another account's are not found. */
  async describe(caller: Caller, ids?: readonly string[]): Promise<MigrationView[]> {
    for (const id of ids ?? []) if (!isWellFormedId(id, "nitro-mig")) throw Errors.nitroMigrationTaskMalformed(id);
    const runs = await this.runs.runsOf(caller, nitroMigrationWorkflowName, ids);
    const missing = (ids ?? []).find((id) => !runs.some((run) => run.runId === id));
    if (missing) throw Errors.nitroMigrationTaskNotFound(missing);
    return Promise.all(runs.map((run) => this.view(run)));
  }

  private async view(run: RunRecord): Promise<MigrationView> {
    const records = new Map((await this.runs.steps(run.runId)).map((step) => [step.name, step]));
    const input = run.input as NitroMigrationInput;
    return {
      run: { ...run, input },
      steps: plannedMigrationSteps(input).map((step) => ({
        name: step.name,
        does: step.does,
        ...(records.has(step.name) ? { record: records.get(step.name)! } : {}),
      })),
    };
  }
}
