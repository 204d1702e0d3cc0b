// Dedicated Hosts: AllocateHosts, DescribeHosts, ModifyHosts, ReleaseHosts.
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { hostMaintenanceFamilies, hostMaintenanceFor } from "../domain/dedicated-host-life.js";
import { checkAllocation, type DedicatedHost, hostFamily, slotsFor, typesOnHost } from "../domain/dedicated-hosts.js";
import { type Ec2Error, Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { hostFilters } from "../domain/filters/hosts.js";
import { classesFor, familyOf, type FleetConfig, type HostClass, type Server } from "../domain/fleet.js";
import { type HostConfiguration, hostConfiguration, largestHostSize } from "../domain/host-families.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import type { Topology } from "../domain/regions.js";
import type { Tag } from "../domain/tags.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { HostsRepo } from "../store/hosts-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";

export interface HostView {
  host: DedicatedHost;
  server?: Server;
  /** The host's sockets, cores and vCPUs (host-families.ts), and the vCPUs its free units leave. */
  configuration?: HostConfiguration;
  availableVCpus?: number;
  capacity: Array<{ instanceType: string; total: number; available: number }>;
  instances: Array<{ instanceId: string; instanceType: string; ownerId: string }>;
}

export class HostService {
  constructor(
    private readonly hosts: HostsRepo,
    private readonly fleet: FleetRepo,
    private readonly instances: InstancesRepo,
    private readonly catalog: InstanceTypeCatalog,
    private readonly fleetConfig: FleetConfig,
    private readonly topology: Topology,
    private readonly clock: Clock,
    /** Brings host life up to the clock first (maintenance.ts), so a host's state is current when described. */
    private readonly settle: () => Promise<void> = async () => {},
  ) {}

  async allocate(
    caller: Caller,
    input: {
      availabilityZone?: string;
      instanceType?: string;
      instanceFamily?: string;
      quantity?: number;
      autoPlacement?: string;
      hostRecovery?: string;
      hostMaintenance?: string;
      clientToken?: string;
      tags: Tag[];
    },
  ): Promise<string[]> {
    const type = input.instanceType ? this.catalog.get(input.instanceType) : undefined;
    checkAllocation(input, type);
    const zone = input.availabilityZone!;
    if (!this.topology.region(caller.region)?.zones.some((z) => z.zoneName === zone)) throw Errors.invalidZone(zone);
    if (input.clientToken) {
      const earlier = (await this.hosts.list(caller)).filter((host) => host.clientToken === input.clientToken);
      if (earlier.length > 0) return earlier.map((host) => host.hostId);
    }
    // The server must hold the largest size the host runs; the smallest class with the family host's cores is preferred.
    const family = input.instanceFamily ?? familyOf(input.instanceType!);
    const hostMaintenance = hostMaintenanceFor(family, input.hostMaintenance);
    const sample = type ?? largestHostSize(family, this.catalog.all);
    if (!sample) throw Errors.invalidParameterValue(`Invalid value '${input.instanceFamily}' for InstanceFamily.`);
    const classes = classesFor(this.fleetConfig, sample);
    const configuration = hostConfiguration(family, this.catalog.all, Math.min(...classes.map((c) => c.sockets)));
    const byPreference = [...classes].sort(
      (a, b) => Number(coresOf(a) < configuration.cores) - Number(coresOf(b) < configuration.cores) || coresOf(a) - coresOf(b),
    );
    await this.fleet.ensureSeeded(caller.region);
    const now = this.clock.now();
    const hosts = Array.from({ length: input.quantity! }, () => ({
      hostId: newId("h"),
      accountId: caller.accountId,
      region: caller.region,
      availabilityZone: zone,
      ...(input.instanceType ? { instanceType: input.instanceType } : { instanceFamily: input.instanceFamily! }),
      autoPlacement: (input.autoPlacement ?? "off") as "on" | "off",
      hostRecovery: (input.hostRecovery ?? "off") as "on" | "off",
      hostMaintenance,
      state: "available" as const,
      allocatedAt: now,
      ...(input.clientToken ? { clientToken: input.clientToken } : {}),
      tags: input.tags,
    }));
    const result = await this.hosts.allocate({
      scope: caller,
      availabilityZone: zone,
      hostClasses: byPreference.map((c) => c.name),
      quantity: input.quantity!,
      hostUnits: configuration.units,
      hosts,
    });
    if (result === "insufficient") {
      throw Errors.insufficientHostCapacity(zone, input.quantity, input.instanceType ?? `the ${input.instanceFamily} family`);
    }
    return result.map((host) => host.hostId);
  }

  async describe(caller: Caller, hostIds?: string[], filters?: readonly Filter[]): Promise<HostView[]> {
    for (const id of hostIds ?? []) if (!isWellFormedId(id, "h")) throw Errors.hostMalformed(id);
    await this.settle();
    const listed = await this.hosts.list(caller, hostIds?.length ? hostIds : undefined);
    const missing = (hostIds ?? []).filter((id) => !listed.some((host) => host.hostId === id));
    if (missing.length > 0) throw Errors.hostNotFound(missing);
    const hosts = applyFilters(listed, filters, hostFilters);
    const servers = await this.fleet.servers({ region: caller.region, serverIds: hosts.map((host) => host.serverId) });
    const onServers = await this.instances.onServers(servers.map((server) => server.serverId));
    return hosts.map((host) => {
      const server = host.state.startsWith("released") ? undefined : servers.find((s) => s.serverId === host.serverId);
      if (!server) return { host, capacity: [], instances: [] };
      const onHost = onServers.filter((i) => i.serverId === server.serverId);
      const instances = onHost.map((i) => ({ instanceId: i.instanceId, instanceType: i.instanceType, ownerId: i.accountId }));
      // A failed or degraded host still lists its instances, and has no capacity to offer.
      if (host.state !== "available") return { host, capacity: [], instances };
      const configuration = hostConfiguration(hostFamily(host), this.catalog.all, server.sockets);
      // The server's free cores count the host's units from allocation on (hosts-repo.ts).
      const room = { units: configuration.units, freeUnits: server.freeCores, memoryMiB: server.memoryMiB, freeMemoryMiB: server.freeMemoryMiB };
      const capacity = typesOnHost(host, this.catalog.all, configuration.units).map((type) => ({
        instanceType: type.InstanceType!,
        ...slotsFor(type, { ...room, sameSizeRunning: onHost.filter((i) => i.instanceType === type.InstanceType).length }),
      }));
      const availableVCpus = Math.round((configuration.vCpus * Math.max(0, server.freeCores)) / configuration.units);
      return { host, server, configuration, availableVCpus, capacity, instances };
    });
  }

  /**
   * AutoPlacement, HostRecovery and HostMaintenance change on every available host (HostMaintenance on only where the
   * family supports it); InstanceType or InstanceFamily only on an empty
   * one, and within the family of hardware it is (each host that cannot is listed as unsuccessful, with why).
   */
  async modify(
    caller: Caller,
    hostIds: string[],
    change: { autoPlacement?: string; hostRecovery?: string; hostMaintenance?: string; instanceType?: string; instanceFamily?: string },
  ): Promise<{ successful: string[]; unsuccessful: Array<{ id: string; code: string; message: string }> }> {
    const { instanceType, instanceFamily, ...settings } = change;
    const support: { instanceType: string } | { instanceFamily: string } | undefined =
      instanceType !== undefined ? { instanceType } : instanceFamily !== undefined ? { instanceFamily } : undefined;
    if (support) {
      const type = instanceType !== undefined ? this.catalog.get(instanceType) : undefined;
      checkAllocation({ ...support, quantity: 1, availabilityZone: "-" }, type);
    }
    const hosts = (await this.hosts.list(caller, hostIds)).filter((host) => host.state === "available");
    const unsuccessful = hostIds.filter((id) => !hosts.some((host) => host.hostId === id)).map((id) => unsuccessfulItem(id, Errors.hostNotFound([id])));
    const successful: string[] = [];
    for (const host of hosts) {
      if (change.hostMaintenance === "on" && !hostMaintenanceFamilies.has(hostFamily(host))) {
        const error = Errors.hostMaintenanceUnsupported(hostFamily(host), [...hostMaintenanceFamilies].join(", "));
        unsuccessful.push(unsuccessfulItem(host.hostId, error));
        continue;
      }
      if (support) {
        const asked = "instanceType" in support ? familyOf(support.instanceType) : support.instanceFamily;
        if (asked !== hostFamily(host)) {
          unsuccessful.push(unsuccessfulItem(host.hostId, Errors.hostFamilyFixed(host.hostId, hostFamily(host), instanceType ?? instanceFamily!)));
          continue;
        }
        if ((await this.hosts.changeSupport(caller, host.hostId, support)) === "occupied") {
          unsuccessful.push(unsuccessfulItem(host.hostId, Errors.hostSupportLocked(host.hostId)));
          continue;
        }
      }
      successful.push(host.hostId);
    }
    if (Object.keys(settings).length > 0)
      await this.hosts.modify(caller, successful, settings as Partial<Pick<DedicatedHost, "autoPlacement" | "hostRecovery" | "hostMaintenance">>);
    return { successful, unsuccessful };
  }

  async release(caller: Caller, hostIds: string[]): Promise<{ successful: string[]; unsuccessful: Array<{ id: string; code: string; message: string }> }> {
    const hosts = await this.hosts.list(caller, hostIds);
    const successful: string[] = [];
    const unsuccessful: Array<{ id: string; code: string; message: string }> = [];
    for (const id of hostIds) {
      const host = hosts.find((h) => h.hostId === id);
      if (!host || host.state !== "available") {
        unsuccessful.push(unsuccessfulItem(id, Errors.hostNotFound([id])));
      } else if ((await this.hosts.release(caller, id, this.clock.now())) === "occupied") {
        unsuccessful.push(unsuccessfulItem(id, Errors.hostOccupied(id)));
      } else {
        successful.push(id);
      }
    }
    return { successful, unsuccessful };
  }
}

/** A host that ModifyHosts or ReleaseHosts could not change, listed with EC2's code and message. */
function unsuccessfulItem(id: string, error: Ec2Error): { id: string; code: string; message: string } {
  return { id, code: error.code, message: error.message };
}

const coresOf = (c: HostClass) => c.sockets * c.coresPerSocket;
