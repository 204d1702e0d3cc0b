// The Xen to Nitro migration: mini-ec2's StartNitroMigration and DescribeNitroMigrations (extension model).
import { applyFilters, type Filter } from "../domain/filters.js";
import { nitroMigrationFilters } from "../domain/filters/nitro-migrations.js";
import { type CheckResult, migrationStatusMessage } from "../domain/nitro-migration.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { MigrationView, NitroMigrationService } from "../services/nitro-migrations.js";
import { stepWire } from "./conversions.js";

interface StartInput {
  InstanceId: string;
  TargetInstanceType: string;
  OperationType?: string;
  ClientToken?: string;
}

export function nitroMigrationOperations(migrations: NitroMigrationService): OperationTable {
  return {
    StartNitroMigration: operation<StartInput, object>({
      async handle(input, caller) {
        const { view, report } = await migrations.start(caller, {
          instanceId: input.InstanceId,
          targetInstanceType: input.TargetInstanceType,
          ...(input.OperationType !== undefined ? { operationType: input.OperationType } : {}),
          ...(input.ClientToken !== undefined ? { clientToken: input.ClientToken } : {}),
        });
        return {
          MigrationTaskId: view.run.runId,
          NitroMigration: nitroMigration(view),
          Checks: report.checks.map(check),
          GuestChecks: report.guest.map(check),
        };
      },
    }),
    DescribeNitroMigrations: operation<{ MigrationTaskIds?: string[]; Filters?: Filter[] }, object>({
      async handle(input, caller) {
        const views = applyFilters(await migrations.describe(caller, input.MigrationTaskIds), input.Filters, {
          fields: Object.fromEntries(Object.entries(nitroMigrationFilters.fields).map(([name, read]) => [name, (view: MigrationView) => read(view.run)])),
        });
        return { NitroMigrations: views.map(nitroMigration) };
      },
    }),
  };
}

const check = (result: CheckResult) => ({ Name: result.name, Outcome: result.outcome, Detail: result.detail });

function nitroMigration(view: MigrationView) {
  const { run } = view;
  const output = run.output as { cloneInstanceId?: string; goldenImageId?: string } | undefined;
  const steps = view.steps.map((step) => ({ name: step.name, state: step.record?.state ?? ("pending" as const) }));
  return {
    MigrationTaskId: run.runId,
    InstanceId: run.input.instanceId,
    TargetInstanceType: run.input.targetInstanceType,
    OperationType: run.input.operationType,
    State: run.state,
    StatusMessage: migrationStatusMessage(run, steps),
    FailureReason: run.failureReason,
    CloneInstanceId: output?.cloneInstanceId,
    GoldenImageId: output?.goldenImageId,
    CreateTime: run.createdAt,
    UpdateTime: run.updatedAt,
    Steps: view.steps.map(stepWire),
  };
}
