// MigrateInstance and DescribeInstanceMigrations: the eligibility rules (domain/migration-rules.ts), a destination
// where the fleet and the placement group allow, and the model's figures (domain/migration.ts) on the virtual clock.
// Migrations complete lazily: every read first settles those whose switchover time has come (MigrationsRepo).
import type { Caller } from "../domain/caller.js";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { VirtualClock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { classesFor, familyOf, type FleetConfig, footprintOf, migrationLinkMbps } from "../domain/fleet.js";
import { newId, isWellFormedId } from "../domain/ids.js";
import { type InstanceMigration, migrationFigures, type MigrationStrategy } from "../domain/instance-migrations.js";
import { currentState, type Instance } from "../domain/instances.js";
import { enforceMigration, type MigrationContext } from "../domain/migration-rules.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { DestinationRequest, MigrationStart, MigrationsRepo } from "../store/migrations-repo.js";
import type { InstanceService } from "./instances.js";
import { housekeeping } from "../store/write-barrier.js";

export interface MigrateRequest {
  instanceId: string;
  strategy: MigrationStrategy;
  targetServerId?: string;
}

export interface MigrationDeps {
  migrations: MigrationsRepo;
  instances: InstanceService;
  fleet: FleetRepo;
  catalog: InstanceTypeCatalog;
  fleetConfig: FleetConfig;
  clock: VirtualClock;
  delays: Delays;
}

export class MigrationService {
  constructor(private readonly deps: MigrationDeps) {}

  /** Completes the migrations whose switchover time has come on the virtual clock. */
  settle(): Promise<number> {
    // Due switchovers are the world a request meets, not its change: settled even in a dry run (store/write-barrier.ts).
    return housekeeping(() => this.deps.migrations.settleDue(this.deps.clock.now()));
  }

  /** Runs every check MigrateInstance runs, without moving anything (DryRun). */
  async check(caller: Caller, request: MigrateRequest): Promise<void> {
    await this.prepare(caller, request);
  }

  async migrate(caller: Caller, request: MigrateRequest): Promise<InstanceMigration> {
    const { instance, destination } = await this.prepare(caller, request);
    const migration = await this.deps.migrations.start(this.startOf(instance, destination, request.strategy, "user"));
    // Between the check and the transaction a launch took the room, or the instance stopped: the rules again say why.
    if (!migration) {
      await this.prepare(caller, request);
      throw Errors.noMigrationDestination(instance.instanceId, instance.instanceType, instance.availabilityZone);
    }
    return migration;
  }

  async describe(caller: Caller, where: { migrationIds?: readonly string[]; instanceId?: string }): Promise<InstanceMigration[]> {
    for (const id of where.migrationIds ?? []) if (!isWellFormedId(id, "mig")) throw Errors.migrationMalformed(id);
    if (where.instanceId && !isWellFormedId(where.instanceId, "i")) throw Errors.instanceMalformed(where.instanceId);
    await this.settle();
    const found = this.deps.migrations.list(caller, where);
    const missing = (where.migrationIds ?? []).filter((id) => !found.some((migration) => migration.migrationId === id));
    if (missing.length > 0) throw Errors.migrationNotFound([...new Set(missing)]);
    return found;
  }

  /** The migration of `instance` as the store starts it: the destination, the model's figures, the record. */
  startOf(instance: Instance, destination: DestinationRequest, strategy: MigrationStrategy, initiatedBy: InstanceMigration["initiatedBy"]): MigrationStart {
    const { clock, delays, fleetConfig } = this.deps;
    const memoryMiB = this.deps.instances.type(instance.instanceType).MemoryInfo?.SizeInMiB ?? 0;
    const now = clock.now();
    return {
      instance,
      destination,
      figures: (workload, sourceClass, targetClass) =>
        migrationFigures(strategy, { memoryMiB, workload, linkMbps: migrationLinkMbps(fleetConfig, sourceClass, targetClass) }),
      record: (figures, targetServerId) => ({
        ...figures,
        migrationId: newId("mig"),
        accountId: instance.accountId,
        region: instance.region,
        instanceId: instance.instanceId,
        instanceType: instance.instanceType,
        strategy,
        state: "in-progress",
        initiatedBy,
        sourceServerId: instance.serverId!,
        targetServerId,
        startedAt: now,
        completesAt: new Date(now.getTime() + figures.totalTimeMs * delays.migrationTimeScale),
      }),
    };
  }

  /** Where an instance of this type may go in its zone: its classes, its footprint; a chosen target only. */
  destinationOf(instance: Instance, targetServerId?: string): DestinationRequest {
    const type = this.deps.instances.type(instance.instanceType);
    return {
      availabilityZone: instance.availabilityZone,
      hostClasses: classesFor(this.deps.fleetConfig, type).map((c) => c.name),
      footprint: footprintOf(type),
      ...(targetServerId ? { onlyServerId: targetServerId } : {}),
    };
  }

  /** The rules, then the target's suitability, then a destination with room, in that order. */
  private async prepare(caller: Caller, request: MigrateRequest): Promise<{ instance: Instance; destination: DestinationRequest }> {
    await this.deps.fleet.ensureSeeded(caller.region);
    await this.settle();
    const instance = await this.deps.instances.getOne(caller, request.instanceId);
    const type = this.deps.instances.type(instance.instanceType);
    const inProgress = this.deps.migrations.inProgress(instance.instanceId);
    const context: MigrationContext = {
      instance,
      state: currentState(instance, this.deps.clock.now()),
      type,
      availabilityZone: instance.availabilityZone,
      ...(inProgress ? { migrationInProgress: inProgress } : {}),
    };
    enforceMigration(context);
    const destination = this.destinationOf(instance, request.targetServerId);
    if (request.targetServerId) await this.checkTarget(instance, destination, request.targetServerId);
    const found = this.deps.migrations.destination(instance, destination);
    if (request.targetServerId && !found) {
      throw Errors.migrationTargetUnsuitable(
        request.targetServerId,
        `it has no room for a ${instance.instanceType} now, or the instance's placement group keeps it off it`,
      );
    }
    enforceMigration({ ...context, destination: found ? "found" : "none" });
    return { instance, destination };
  }

  private async checkTarget(instance: Instance, destination: DestinationRequest, serverId: string): Promise<void> {
    const [server] = await this.deps.fleet.servers({ region: instance.region, serverIds: [serverId] });
    if (!server) throw Errors.serverNotFound(serverId);
    const why =
      server.serverId === instance.serverId
        ? "it is the server the instance runs on"
        : server.availabilityZone !== instance.availabilityZone
          ? `it is in ${server.availabilityZone}, and a live migration stays in the instance's zone (${instance.availabilityZone})`
          : server.hypervisor !== instance.hypervisor
            ? `it runs ${server.hypervisor}, and the instance runs ${instance.hypervisor}: a guest moves live only between servers of one hypervisor`
            : !destination.hostClasses.includes(server.hostClass)
              ? `its class ${server.hostClass} does not serve the ${familyOf(instance.instanceType)} family`
              : server.dedicatedHostId
                ? "it is a Dedicated Host"
                : undefined;
    if (why) throw Errors.migrationTargetUnsuitable(serverId, why);
  }
}
