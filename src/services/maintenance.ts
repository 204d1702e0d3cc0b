// StartServerMaintenance and FailServer (extensions), and the scheduled events they leave: a drain live-migrates
// every guest the migration rules let move and schedules an instance-stop for the others; a failure recovers the
// guests simplified automatic recovery supports and retires the others. Both are resumable: calling again after a
// crash moves only the guests still on the server, and an instance never gets two open events about one server.
import type { Caller } from "../domain/caller.js";
import type { VirtualClock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import type { Server, ServerState } from "../domain/fleet.js";
import { notRecoverable } from "../domain/auto-recovery.js";
import type { DedicatedHost } from "../domain/dedicated-hosts.js";
import { newId } from "../domain/ids.js";
import type { InstanceMigration } from "../domain/instance-migrations.js";
import { type EventCode, eventAbout, type InstanceEvent, rescheduled } from "../domain/instance-events.js";
import { currentState, type Instance } from "../domain/instances.js";
import { movableLive } from "../domain/migration-rules.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { MaintenanceRepo } from "../store/maintenance-repo.js";
import type { MigrationsRepo } from "../store/migrations-repo.js";
import type { InstanceService } from "./instances.js";
import type { DedicatedHostLife } from "./host-life.js";
import type { MigrationService } from "./migrations.js";
import { housekeeping } from "../store/write-barrier.js";

export interface DrainResult {
  server: Server;
  /** Guests of every account: how many started moving, how many got an event, and how many were moving already. */
  migrating: number;
  scheduled: number;
  alreadyMoving: number;
  /** The caller's own migrations and events; other accounts' guests are counted only. */
  callerMigrationIds: string[];
  callerEventIds: string[];
}

export interface FailureResult {
  server: Server;
  recovered: number;
  retired: number;
  callerRecovered: string[];
  callerEventIds: string[];
}

export class MaintenanceService {
  constructor(
    private readonly deps: {
      maintenance: MaintenanceRepo;
      migrationsRepo: MigrationsRepo;
      migrations: MigrationService;
      instances: InstanceService;
      fleet: FleetRepo;
      clock: VirtualClock;
      hosts: DedicatedHostLife;
    },
  ) {}

  /**
   * `eventCode`: what a guest that cannot move live is told (instance-stop by default; system-reboot for a host
   * reboot). A Dedicated Host's server follows the host's HostMaintenance instead (host-life.ts).
   */
  async startMaintenance(caller: Caller, serverId: string, eventCode: "instance-stop" | "system-reboot" = "instance-stop"): Promise<DrainResult> {
    const server = await this.server(caller, serverId);
    if (server.state === "failed") throw Errors.serverFailed(serverId);
    await this.settle();
    await this.deps.maintenance.setState(serverId, "under-maintenance");
    const now = this.deps.clock.now();
    const host = this.deps.hosts.hostOf(server);
    const { movable, unmovable, alreadyMoving } = this.sortGuests(serverId, now, host);
    let event: { code: EventCode; leadMs?: number } = { code: eventCode };
    let started: Array<InstanceMigration | undefined>;
    if (!host) {
      const { migrations } = this.deps;
      started = await this.deps.migrationsRepo.startMany(
        movable.map((guest) => migrations.startOf(guest, migrations.destinationOf(guest), "pre-copy", "maintenance")),
      );
    } else if (host.hostMaintenance === "on") {
      started = await this.deps.hosts.migrateToReplacement(host, server, movable, now);
      event = { code: "instance-reboot" };
    } else {
      started = [];
      event = await this.deps.hosts.markForRetirement(host, now);
    }
    // A movable guest for which no server had room gets the event the unmovable ones get.
    const stuck = movable.filter((_, index) => started[index] === undefined);
    const events = await this.deps.maintenance.schedule([...unmovable, ...stuck].map((guest) => this.event(guest, event.code, now, event.leadMs)));
    const migrations = started.filter((migration) => migration !== undefined);
    return {
      server: { ...server, state: "under-maintenance" },
      migrating: migrations.length,
      scheduled: events.length,
      alreadyMoving,
      callerMigrationIds: migrations.filter((m) => m.accountId === caller.accountId && m.region === caller.region).map((m) => m.migrationId),
      callerEventIds: events.filter((e) => e.accountId === caller.accountId && e.region === caller.region).map((e) => e.instanceEventId),
    };
  }

  /**
   * The server's running guests: those the migration rules let move live, the others, and how many are moving
   * already. On a Dedicated Host only host maintenance moves guests (to the replacement host); with it off, none.
   */
  private sortGuests(serverId: string, now: Date, host: DedicatedHost | undefined): { movable: Instance[]; unmovable: Instance[]; alreadyMoving: number } {
    const movable: Instance[] = [];
    const unmovable: Instance[] = [];
    let alreadyMoving = 0;
    for (const guest of this.deps.maintenance.guests(serverId)) {
      if (this.deps.migrationsRepo.inProgress(guest.instanceId)) {
        alreadyMoving++;
        continue;
      }
      const type = this.deps.instances.type(guest.instanceType);
      const replacement = host?.hostMaintenance === "on" ? { replacementHostId: host.replacementHostId ?? "(to be allocated)" } : {};
      const context = { instance: guest, state: currentState(guest, now), type, availabilityZone: guest.availabilityZone, ...replacement };
      (movableLive(context) ? movable : unmovable).push(guest);
    }
    return { movable, unmovable, alreadyMoving };
  }

  async failServer(caller: Caller, serverId: string): Promise<FailureResult> {
    const server = await this.server(caller, serverId);
    await this.settle();
    await this.deps.maintenance.setState(serverId, "failed");
    await this.deps.migrationsRepo.failTouching(serverId, `The server ${serverId} failed before the switchover.`);
    const now = this.deps.clock.now();
    const guests = this.deps.maintenance.guests(serverId);
    const host = this.deps.hosts.hostOf(server);
    const recoveredIds = host ? await this.deps.hosts.recover(host, server, guests, now) : await this.recoverShared(serverId, guests);
    const recovered = guests.filter((guest) => recoveredIds.has(guest.instanceId));
    const retired = guests.filter((guest) => !recoveredIds.has(guest.instanceId));
    const events = await this.deps.maintenance.schedule(retired.map((guest) => this.event(guest, "instance-retirement", now)));
    return {
      server: { ...server, state: "failed" },
      recovered: recovered.length,
      retired: retired.length,
      callerRecovered: recovered.filter((i) => i.accountId === caller.accountId && i.region === caller.region).map((i) => i.instanceId),
      callerEventIds: events.filter((e) => e.accountId === caller.accountId && e.region === caller.region).map((e) => e.instanceEventId),
    };
  }

  /** Simplified automatic recovery of a shared server's guests, one transaction each: the ids of those it moved. */
  private async recoverShared(serverId: string, guests: readonly Instance[]): Promise<Set<string>> {
    const recovered = new Set<string>();
    for (const guest of guests) {
      const type = this.deps.instances.type(guest.instanceType);
      const recoverable = notRecoverable(guest, type) === undefined && guest.options.maintenance?.autoRecovery !== "disabled";
      if (recoverable && (await this.deps.maintenance.recover(guest.instanceId, serverId, this.deps.migrations.destinationOf(guest), this.deps.clock.now())))
        recovered.add(guest.instanceId);
    }
    return recovered;
  }

  /**
   * Brings the host-life state up to the virtual clock: due migrations complete; events whose instance has left
   * the server complete; an instance-stop whose start has come stops the instance (the system does, as EC2 does).
   */
  settle(): Promise<void> {
    // The host-life state caught up to the clock is the world a request meets: settled even in a dry run.
    return housekeeping(() => this.settleNow());
  }

  private async settleNow(): Promise<void> {
    await this.deps.migrations.settle();
    const now = this.deps.clock.now();
    for (const event of this.deps.maintenance.due(now)) {
      // A maintained Dedicated Host's instance reboots onto the replacement host; one that cannot is stopped.
      const stops = event.code === "instance-stop" || event.code === "instance-retirement";
      if (stops || (event.code === "instance-reboot" && !(await this.deps.hosts.rebootOntoReplacement(event)))) {
        const owner = { accountId: event.accountId, region: event.region, accessKeyId: "mini-ec2-maintenance" };
        // Already stopped or gone: the event completes all the same.
        await this.deps.instances.change(owner, "stop", [event.instanceId], { force: true }).catch(() => undefined);
      }
      await this.deps.maintenance.complete(event.instanceEventId, now);
    }
    await this.deps.maintenance.completeLeft(now);
    await this.deps.hosts.releaseEvicted();
  }

  /**
   * Reboot migration: an instance rebooted by its owner while a system-reboot event about its server is open moves
   * to another server (the event completes), unless its RebootMigration is disabled (the event stays: in place).
   */
  async afterReboot(caller: Caller, instanceIds: readonly string[]): Promise<void> {
    const instances = await this.deps.instances.get(caller, instanceIds);
    const { events } = this.hostLifeOf(caller, instances);
    const now = this.deps.clock.now();
    for (const instance of instances) {
      const event = (events.get(instance.instanceId) ?? []).find((e) => e.code === "system-reboot" && !e.completedAt && e.serverId === instance.serverId);
      if (!event || instance.options.maintenance?.rebootMigration === "disabled") continue;
      if (await this.deps.maintenance.recover(instance.instanceId, event.serverId, this.deps.migrations.destinationOf(instance), now)) {
        await this.deps.maintenance.complete(event.instanceEventId, now);
      }
    }
  }

  /** ModifyInstanceEventStartTime: moves an open event's start within its deadline. */
  async rescheduleEvent(caller: Caller, instanceId: string, instanceEventId: string, notBefore: Date): Promise<InstanceEvent> {
    await this.deps.instances.getOne(caller, instanceId);
    await this.settle();
    const event = this.deps.maintenance.event(caller, instanceId, instanceEventId);
    if (!event) throw Errors.instanceEventNotFound(instanceId, instanceEventId);
    const moved = rescheduled(event, notBefore, this.deps.clock.now());
    if ("refused" in moved) throw Errors.eventNotReschedulable(instanceEventId, moved.refused);
    await this.deps.maintenance.moveEvent(moved);
    return moved;
  }

  /** The events of these instances of the caller, and which of them run on a failed server. */
  hostLifeOf(caller: Caller, instances: readonly Instance[]): { events: Map<string, InstanceEvent[]>; onFailedServer: Set<string> } {
    const failed = this.deps.maintenance.failedServers([...new Set(instances.flatMap((i) => (i.serverId ? [i.serverId] : [])))]);
    return {
      events: this.deps.maintenance.eventsOf(
        caller,
        instances.map((i) => i.instanceId),
        this.deps.clock.now(),
      ),
      onFailedServer: new Set(instances.filter((i) => i.serverId && failed.has(i.serverId)).map((i) => i.instanceId)),
    };
  }

  private event(guest: Instance, code: EventCode, now: Date, leadMs?: number): InstanceEvent {
    return eventAbout({ ...guest, serverId: guest.serverId! }, code, now, newId("instance-event"), leadMs);
  }

  private async server(caller: Caller, serverId: string): Promise<Server & { state: ServerState }> {
    await this.deps.fleet.ensureSeeded(caller.region);
    const [server] = await this.deps.fleet.servers({ region: caller.region, serverIds: [serverId] });
    if (!server) throw Errors.serverNotFound(serverId);
    return { ...server, state: server.state ?? "available" };
  }
}
