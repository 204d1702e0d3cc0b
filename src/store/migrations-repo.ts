// Live migrations: every write of the InstanceMigration table, and the capacity a migration holds, on the
// synchronous connection. A migration starts in one write transaction that checks the instance is still on its
// source, takes the target's capacity and records the migration; it completes in another that gives the source's
// capacity back and moves the instance. So a concurrent launch can never overcommit either server.
import type { Scope } from "../domain/caller.js";
import type { Footprint } from "../domain/fleet.js";
import { type InstanceMigration, instanceLeftSourceReason, type MigrationFigures } from "../domain/instance-migrations.js";
import type { Instance } from "../domain/instances.js";
import { type GroupMember, nextGroupSlot } from "../domain/placement.js";
import type { Workload } from "../domain/migration.js";
import { FleetRepo, type PlacementRequest } from "./fleet-repo.js";
import { migrationColumns, migrationFromRow, migrationToRow } from "./rows/instance-migration.js";
import { placeholders, type Sql } from "./sql.js";
import { workloadSync } from "./workloads-repo.js";

/** Where an instance may go: the request for its zone, classes and footprint; the group's exclusions are added here. */
export type DestinationRequest = Omit<PlacementRequest, "excludeServers">;

export type MovingInstance = Pick<Instance, "instanceId" | "accountId" | "region" | "serverId" | "availabilityZone" | "placementGroupId" | "partitionNumber">;

export interface MigrationStart {
  instance: MovingInstance;
  destination: DestinationRequest;
  /** The model's figures once the target (and so the link) is known; the workload is read in the transaction. */
  figures(workload: Workload, sourceClass: string, targetClass: string): MigrationFigures;
  record(figures: MigrationFigures, targetServerId: string): InstanceMigration;
}

export class MigrationsRepo {
  constructor(
    private readonly sql: Sql,
    /** What an instance of the type takes from a server, for the capacity given back. */
    private readonly footprintOf: (instanceType: string) => Footprint,
  ) {}

  /** The server a migration would take now (nothing is taken), or undefined. */
  destination(instance: MovingInstance, request: DestinationRequest): string | undefined {
    const excluded = groupExclusions(this.sql, instance);
    if (excluded === "refused" || !instance.serverId) return undefined;
    return FleetRepo.bestFit(this.sql, { ...request, excludeServers: [instance.serverId, ...excluded] })?.serverId;
  }

  /** Starts a migration, or answers undefined when the instance left its server, is moving already, or no server has room. */
  async start(start: MigrationStart): Promise<InstanceMigration | undefined> {
    return this.sql.write(() => this.startSync(start));
  }

  /** Several migrations in one transaction (a server's drain): each either starts or is left out. */
  async startMany(starts: readonly MigrationStart[]): Promise<Array<InstanceMigration | undefined>> {
    return this.sql.write(() => this.startManySync(starts));
  }

  /** startMany inside the caller's write transaction (a host's maintenance allocates its replacement in the same one). */
  startManySync(starts: readonly MigrationStart[]): Array<InstanceMigration | undefined> {
    return starts.map((start) => this.startSync(start));
  }

  private startSync({ instance, destination, figures, record }: MigrationStart): InstanceMigration | undefined {
    const row = this.sql.get<{ serverId: string | null; state: string }>(
      'SELECT "serverId", "state" FROM "Instance" WHERE "instanceId" = ?',
      instance.instanceId,
    );
    if (!row || row.serverId !== instance.serverId || !instance.serverId || this.inProgressSync(instance.instanceId)) return undefined;
    const excluded = groupExclusions(this.sql, instance);
    if (excluded === "refused") return undefined;
    const targetServerId = FleetRepo.place(this.sql, { ...destination, excludeServers: [instance.serverId, ...excluded] });
    if (!targetServerId) return undefined;
    const classes = new Map(
      this.sql
        .all<{ serverId: string; hostClass: string }>(
          'SELECT "serverId", "hostClass" FROM "Server" WHERE "serverId" IN (?, ?)',
          instance.serverId,
          targetServerId,
        )
        .map((server) => [server.serverId, server.hostClass]),
    );
    const workload = workloadSync(this.sql, { accountId: instance.accountId, region: instance.region }, instance.instanceId);
    const migration = record(figures(workload, classes.get(instance.serverId)!, classes.get(targetServerId)!), targetServerId);
    this.sql.insert(migrationColumns.table, migrationToRow(migration));
    // No time to wait for (MINI_EC2_DELAYS=zero): the switchover happens in the same transaction, so no launch
    // ever finds the source's capacity still held by a migration that is already over.
    return migration.completesAt.getTime() <= migration.startedAt.getTime() ? this.finishSync(migration) : migration;
  }

  /**
   * Completes every migration whose switchover time has come: the instance moves to its target and gives its
   * source's capacity back; one that left its source meanwhile (stopped, terminated) fails and gives the target's back.
   */
  async settleDue(now: Date): Promise<number> {
    const due = this.sql.all<{ migrationId: string }>(
      `SELECT "migrationId" FROM "${migrationColumns.table}" WHERE "state" = 'in-progress' AND "completesAt" <= ? LIMIT 1`,
      now,
    );
    if (due.length === 0) return 0;
    return this.sql.write(() => {
      const rows = this.sql.all<Record<string, unknown>>(`SELECT * FROM "${migrationColumns.table}" WHERE "state" = 'in-progress' AND "completesAt" <= ?`, now);
      for (const raw of rows) this.finishSync(migrationFromRow(migrationColumns.fromSqlite(raw)));
      return rows.length;
    });
  }

  /** The switchover, inside the caller's transaction: the instance moves, or the migration fails if it left its source. */
  private finishSync(migration: InstanceMigration): InstanceMigration {
    const footprint = this.footprintOf(migration.instanceType);
    const instance = this.sql.get<{ serverId: string | null }>('SELECT "serverId" FROM "Instance" WHERE "instanceId" = ?', migration.instanceId);
    if (instance?.serverId === migration.sourceServerId) {
      FleetRepo.release(this.sql, migration.sourceServerId, footprint);
      FleetRepo.moveInstance(this.sql, migration.instanceId, migration.targetServerId);
      this.sql.run(`UPDATE "${migrationColumns.table}" SET "state" = 'completed' WHERE "migrationId" = ?`, migration.migrationId);
      return { ...migration, state: "completed" };
    }
    FleetRepo.release(this.sql, migration.targetServerId, footprint);
    this.sql.run(
      `UPDATE "${migrationColumns.table}" SET "state" = 'failed', "failureReason" = ? WHERE "migrationId" = ?`,
      instanceLeftSourceReason,
      migration.migrationId,
    );
    return { ...migration, state: "failed", failureReason: instanceLeftSourceReason };
  }

  /** Fails the migrations under way from or to a server that failed, giving their targets' capacity back. */
  async failTouching(serverId: string, reason: string): Promise<number> {
    return this.sql.write(() => {
      const rows = this.sql.all<{ migrationId: string; instanceType: string; targetServerId: string }>(
        `SELECT "migrationId", "instanceType", "targetServerId" FROM "${migrationColumns.table}" WHERE "state" = 'in-progress' AND ("sourceServerId" = ? OR "targetServerId" = ?)`,
        serverId,
        serverId,
      );
      for (const row of rows) {
        FleetRepo.release(this.sql, row.targetServerId, this.footprintOf(row.instanceType));
        this.sql.run(`UPDATE "${migrationColumns.table}" SET "state" = 'failed', "failureReason" = ? WHERE "migrationId" = ?`, reason, row.migrationId);
      }
      return rows.length;
    });
  }

  /** The instance's migration under way, if any. */
  inProgress(instanceId: string): string | undefined {
    return this.inProgressSync(instanceId);
  }

  private inProgressSync(instanceId: string): string | undefined {
    return this.sql.get<{ migrationId: string }>(
      `SELECT "migrationId" FROM "${migrationColumns.table}" WHERE "instanceId" = ? AND "state" = 'in-progress' LIMIT 1`,
      instanceId,
    )?.migrationId;
  }

  /** The scope's migrations, newest first: all, these ids, or one instance's. */
  list(scope: Scope, where: { migrationIds?: readonly string[]; instanceId?: string }): InstanceMigration[] {
    const conditions = ['"accountId" = ?', '"region" = ?'];
    const params: unknown[] = [scope.accountId, scope.region];
    if (where.migrationIds?.length) {
      conditions.push(`"migrationId" IN (${placeholders(where.migrationIds.length)})`);
      params.push(...where.migrationIds);
    }
    if (where.instanceId) {
      conditions.push('"instanceId" = ?');
      params.push(where.instanceId);
    }
    return this.sql
      .all<Record<string, unknown>>(
        `SELECT * FROM "${migrationColumns.table}" WHERE ${conditions.join(" AND ")} ORDER BY "startedAt" DESC, "migrationId"`,
        ...params,
      )
      .map((raw) => migrationFromRow(migrationColumns.fromSqlite(raw)));
  }
}

/** The servers the instance's placement group rules out for it (domain/placement.ts), or "refused". */
function groupExclusions(sql: Sql, instance: MovingInstance): string[] | "refused" {
  if (!instance.placementGroupId) return [];
  const group = sql.get<{ strategy: "cluster" | "spread" | "partition"; partitionCount: number | null }>(
    'SELECT "strategy", "partitionCount" FROM "PlacementGroup" WHERE "groupId" = ?',
    instance.placementGroupId,
  );
  if (!group) return [];
  const others = sql.all<GroupMember>(
    'SELECT "serverId", "partitionNumber", "availabilityZone" FROM "Instance" WHERE "placementGroupId" = ? AND "state" IN (\'pending\', \'running\') AND "instanceId" != ?',
    instance.placementGroupId,
    instance.instanceId,
  );
  const slot = nextGroupSlot(
    {
      groupId: instance.placementGroupId,
      strategy: group.strategy,
      ...(group.partitionCount ? { partitionCount: group.partitionCount } : {}),
      ...(instance.partitionNumber ? { partitionNumber: instance.partitionNumber } : {}),
    },
    others,
    instance.availabilityZone,
  );
  // A cluster group's one zone is the instance's own: a migration stays in it.
  if ("refused" in slot) return slot.refused === "cluster-zone" ? [] : "refused";
  return slot.excludeServers;
}
