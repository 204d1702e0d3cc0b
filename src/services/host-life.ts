// Dedicated Hosts in host life (docs/migration.md, "Dedicated Hosts"): FailServer and StartServerMaintenance on a
// host's server follow the host's HostRecovery and HostMaintenance settings, as the User Guide describes them.
// Recovery on: a replacement host with the same attributes takes the instances it can (same ids, addresses and
// volumes; they boot again), the failed host is released for good or, with instances left, marked permanent-failure.
// Maintenance on: the replacement takes the guests that can move live, the others get an instance-reboot event
// that reboots them onto it. Off: the instances' owners get events and the host is marked for retirement.
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { VirtualClock } from "../domain/clock.js";
import { evictionNoticeMs, hostRecoverable } from "../domain/dedicated-host-life.js";
import { type DedicatedHost, hostFamily } from "../domain/dedicated-hosts.js";
import { footprintOf, type Server } from "../domain/fleet.js";
import { hostConfiguration } from "../domain/host-families.js";
import type { InstanceEvent } from "../domain/instance-events.js";
import type { InstanceMigration } from "../domain/instance-migrations.js";
import type { Instance } from "../domain/instances.js";
import type { HostLifeRepo } from "../store/host-life-repo.js";
import type { MaintenanceRepo } from "../store/maintenance-repo.js";
import type { InstanceService } from "./instances.js";
import type { MigrationService } from "./migrations.js";

export class DedicatedHostLife {
  constructor(
    private readonly deps: {
      hostLife: HostLifeRepo;
      maintenance: MaintenanceRepo;
      migrations: MigrationService;
      instances: InstanceService;
      catalog: InstanceTypeCatalog;
      clock: VirtualClock;
    },
  ) {}

  /** The Dedicated Host the server is, unless it was released already (then nothing runs on it to care for). */
  hostOf(server: Server): DedicatedHost | undefined {
    if (!server.dedicatedHostId) return undefined;
    const host = this.deps.hostLife.hostOfServer(server.serverId);
    return host && !host.state.startsWith("released") ? host : undefined;
  }

  /** FailServer on a host's server: the instances host recovery restarted on the replacement (none when it is off). */
  async recover(host: DedicatedHost, server: Server, guests: readonly Instance[], now: Date): Promise<Set<string>> {
    if (host.hostRecovery === "off") {
      await this.deps.hostLife.setState(host.hostId, "permanent-failure", now);
      return new Set();
    }
    const recoverable = guests
      .map((guest) => ({ guest, type: this.deps.instances.type(guest.instanceType) }))
      .filter(({ type }) => hostRecoverable(type))
      .map(({ guest, type }) => ({ instanceId: guest.instanceId, footprint: footprintOf(type) }));
    const { recovered } = await this.deps.hostLife.recover(host, recoverable, this.hostUnits(host, server), now);
    return new Set(recovered);
  }

  /**
   * StartServerMaintenance on a host's server with host maintenance on: the replacement host and the live
   * migrations onto it, in one transaction. One entry per movable guest, undefined where it did not start.
   */
  async migrateToReplacement(host: DedicatedHost, server: Server, movable: readonly Instance[], now: Date): Promise<Array<InstanceMigration | undefined>> {
    const { migrations } = this.deps;
    const { migrations: started } = await this.deps.hostLife.startMaintenance(
      host,
      (replacement) =>
        movable.map((guest) =>
          migrations.startOf(guest, { ...migrations.destinationOf(guest), dedicatedHostId: replacement.hostId }, "pre-copy", "maintenance"),
        ),
      this.hostUnits(host, server),
      now,
    );
    return started;
  }

  /** Host maintenance off: the host is marked for retirement and its instances' owners have 28 days to move them. */
  async markForRetirement(host: DedicatedHost, now: Date): Promise<{ code: "instance-retirement"; leadMs: number }> {
    await this.deps.hostLife.setState(host.hostId, "permanent-failure", now);
    return { code: "instance-retirement", leadMs: evictionNoticeMs };
  }

  /**
   * A due instance-reboot event of a maintained host: the instance reboots onto the replacement host. False when
   * there is none or it has no room ("Instances that cannot be rebooted automatically are stopped").
   */
  async rebootOntoReplacement(event: InstanceEvent): Promise<boolean> {
    const host = this.deps.hostLife.hostOfServer(event.serverId);
    if (!host?.replacementHostId) return false;
    const [instance] = this.deps.maintenance.guests(event.serverId).filter((guest) => guest.instanceId === event.instanceId);
    if (!instance) return false;
    const request = { ...this.deps.migrations.destinationOf(instance), dedicatedHostId: host.replacementHostId };
    return this.deps.maintenance.recover(instance.instanceId, event.serverId, request, this.deps.clock.now());
  }

  /** Hosts marked permanent-failure that nothing runs on any more are released for good. */
  async releaseEvicted(): Promise<void> {
    await this.deps.hostLife.releaseEvicted(this.deps.clock.now());
  }

  /** The host's capacity units, which its replacement's server counts from allocation on (hosts-repo.ts). */
  private hostUnits(host: DedicatedHost, server: Server): number {
    return hostConfiguration(hostFamily(host), this.deps.catalog.all, server.sockets).units;
  }
}
