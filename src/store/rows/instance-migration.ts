// The InstanceMigration table's one codec: a live migration and the model's figures, its rounds as JSON.
import type { InstanceMigration } from "../../domain/instance-migrations.js";
import type { InstanceMigration as MigrationRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export const migrationColumns = new SqliteColumns<MigrationRow>("InstanceMigration", { dates: { startedAt: true, completesAt: true }, booleans: {} });

export function migrationToRow(migration: InstanceMigration): MigrationRow {
  const { rounds, endedBy, pageFaults, failureReason, ...rest } = migration;
  return { ...rest, rounds: JSON.stringify(rounds), endedBy: endedBy ?? null, pageFaults: pageFaults ?? null, failureReason: failureReason ?? null };
}

export function migrationFromRow(row: MigrationRow): InstanceMigration {
  const { rounds, endedBy, pageFaults, failureReason, strategy, state, initiatedBy, ...rest } = row;
  return {
    ...rest,
    strategy: strategy as InstanceMigration["strategy"],
    state: state as InstanceMigration["state"],
    initiatedBy: initiatedBy as InstanceMigration["initiatedBy"],
    rounds: JSON.parse(rounds),
    ...(endedBy ? { endedBy: endedBy as InstanceMigration["endedBy"] & string } : {}),
    ...(pageFaults !== null ? { pageFaults } : {}),
    ...(failureReason ? { failureReason } : {}),
  };
}
