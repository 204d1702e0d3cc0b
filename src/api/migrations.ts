// MigrateInstance and DescribeInstanceMigrations (extensions): live migration on the simulated fleet.
import type { InstanceMigration, MigrationStrategy } from "../domain/instance-migrations.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { MigrationService } from "../services/migrations.js";

interface MigrateInput {
  InstanceId: string;
  Strategy: MigrationStrategy;
  TargetServerId?: string;
  DryRun?: boolean;
}

export function migrationToWire(migration: InstanceMigration) {
  return {
    MigrationId: migration.migrationId,
    InstanceId: migration.instanceId,
    InstanceType: migration.instanceType,
    Strategy: migration.strategy,
    State: migration.state,
    InitiatedBy: migration.initiatedBy,
    SourceServerId: migration.sourceServerId,
    TargetServerId: migration.targetServerId,
    StartTime: migration.startedAt,
    SwitchoverTime: migration.completesAt,
    Rounds: migration.rounds.map((round) => ({
      Round: round.round,
      PagesSent: round.pagesSent,
      PagesDirtied: round.pagesDirtied,
      DurationMs: round.durationMs,
      RateMbps: round.rateMbps,
      GuestPaused: round.guestPaused,
    })),
    EndedBy: migration.endedBy,
    TotalTimeMs: migration.totalTimeMs,
    DowntimeMs: migration.downtimeMs,
    BytesTransferred: migration.bytesTransferred,
    PageFaults: migration.pageFaults,
    FailureReason: migration.failureReason,
  };
}

export function migrationOperations(migrations: MigrationService): OperationTable {
  const requestOf = (input: MigrateInput) => ({
    instanceId: input.InstanceId,
    strategy: input.Strategy,
    ...(input.TargetServerId ? { targetServerId: input.TargetServerId } : {}),
  });
  return {
    MigrateInstance: operation<MigrateInput, object>({
      // A dry run answers every rule's refusal before DryRunOperation; a real call checks once, in handle.
      async validate(input, caller) {
        if (input.DryRun) await migrations.check(caller, requestOf(input));
      },
      async handle(input, caller) {
        const migration = await migrations.migrate(caller, requestOf(input));
        return { MigrationId: migration.migrationId, Migration: migrationToWire(migration) };
      },
    }),
    DescribeInstanceMigrations: operation<{ MigrationIds?: string[]; InstanceId?: string }, object>({
      async handle(input, caller) {
        const found = await migrations.describe(caller, {
          ...(input.MigrationIds ? { migrationIds: input.MigrationIds } : {}),
          ...(input.InstanceId ? { instanceId: input.InstanceId } : {}),
        });
        return { Migrations: found.map(migrationToWire) };
      },
    }),
  };
}
