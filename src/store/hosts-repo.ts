// Dedicated Hosts: allocating one takes an empty server of the fleet out of shared use (fleet-repo.ts writes the
// Server rows), in one transaction with the host's row; releasing gives the server back.
import type { Scope } from "../domain/caller.js";
import type { DedicatedHost } from "../domain/dedicated-hosts.js";
import { assignServerToHost, emptySharedServers, serverOfHost, unassignServer } from "./fleet-repo.js";
import type { PrismaClient } from "./generated/client.js";
import { hostFromRow } from "./rows/dedicated-host.js";
import { scopeWhere } from "./scope.js";
import { insertTags, tagsByResource } from "./tags-repo.js";
import { fitsOneStatement, inChunks, keepListed } from "./bound-ids.js";

export interface AllocationRequest {
  scope: Scope;
  availabilityZone: string;
  /** In order of preference. */
  hostClasses: readonly string[];
  quantity: number;
  /** The host's capacity units (host-families.ts): the server's free cores count them while it is the host. */
  hostUnits: number;
  hosts: Array<Omit<DedicatedHost, "serverId">>;
}

export class HostsRepo {
  constructor(private readonly prisma: PrismaClient) {}

  /** The hosts, or "insufficient" when the zone has fewer empty servers of the right class than asked for. */
  async allocate(request: AllocationRequest): Promise<DedicatedHost[] | "insufficient"> {
    return this.prisma.$transaction(async (tx) => {
      const servers: string[] = [];
      for (const hostClass of request.hostClasses) {
        if (servers.length < request.quantity)
          servers.push(...(await emptySharedServers(tx, request.availabilityZone, [hostClass], request.quantity - servers.length)));
      }
      if (servers.length < request.quantity) return "insufficient" as const;
      const hosts = request.hosts.map((host, i) => ({ ...host, serverId: servers[i]! }));
      for (const host of hosts) {
        if (!(await assignServerToHost(tx, host.serverId, host.hostId, request.hostUnits))) return "insufficient" as const;
        const { tags, ...row } = host;
        await tx.dedicatedHost.create({ data: row });
        await insertTags(tx, { resourceId: host.hostId, resourceType: "dedicated-host", ...scopeWhere(request.scope) }, tags);
      }
      return hosts;
    });
  }

  async list(scope: Scope, hostIds?: readonly string[]): Promise<DedicatedHost[]> {
    const bound = hostIds && fitsOneStatement(hostIds) ? { hostId: { in: [...hostIds] } } : {};
    const rows = keepListed(
      await this.prisma.dedicatedHost.findMany({ where: { ...scopeWhere(scope), ...bound }, orderBy: { hostId: "asc" } }),
      hostIds,
      (row) => row.hostId,
    );
    const tags = await tagsByResource(
      this.prisma,
      scope,
      "dedicated-host",
      rows.map((row) => row.hostId),
    );
    return rows.map((row) => hostFromRow(row, tags.get(row.hostId) ?? []));
  }

  async modify(
    scope: Scope,
    hostIds: readonly string[],
    data: Partial<Pick<DedicatedHost, "autoPlacement" | "hostRecovery" | "hostMaintenance">>,
  ): Promise<void> {
    await inChunks(hostIds, (chunk) =>
      this.prisma.dedicatedHost.updateMany({ where: { ...scopeWhere(scope), hostId: { in: chunk }, state: "available" }, data }),
    );
  }

  /** ModifyHosts' InstanceType or InstanceFamily: only on an empty host (no instance running or stopped on it). */
  async changeSupport(scope: Scope, hostId: string, support: { instanceType: string } | { instanceFamily: string }): Promise<"changed" | "occupied"> {
    return this.prisma.$transaction(async (tx) => {
      const server = await serverOfHost(tx, hostId);
      const stopped = await tx.instance.count({ where: { ...scopeWhere(scope), hostId, state: { in: ["stopping", "stopped"] } } });
      if ((server ? server.instanceCount > 0 : false) || stopped > 0) return "occupied" as const;
      const data =
        "instanceType" in support
          ? { instanceType: support.instanceType, instanceFamily: null }
          : { instanceType: null, instanceFamily: support.instanceFamily };
      await tx.dedicatedHost.update({ where: { hostId, ...scopeWhere(scope) }, data });
      return "changed" as const;
    });
  }

  /** Releases an empty host; "occupied" while an instance runs on it. */
  async release(scope: Scope, hostId: string, now: Date): Promise<"released" | "occupied"> {
    return this.prisma.$transaction(async (tx) => {
      const server = await serverOfHost(tx, hostId);
      const hasInstances = server ? server.instanceCount > 0 : false;
      const stopped = await tx.instance.count({ where: { ...scopeWhere(scope), hostId, state: { in: ["stopping", "stopped"] } } });
      if (hasInstances || stopped > 0) return "occupied" as const;
      if (server) await unassignServer(tx, server.serverId);
      await tx.dedicatedHost.update({ where: { hostId, ...scopeWhere(scope) }, data: { state: "released", releasedAt: now } });
      return "released" as const;
    });
  }
}
