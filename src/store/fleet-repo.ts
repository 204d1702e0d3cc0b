// Servers of the simulated fleet and the capacity on them: every write of the Server table. Placement reads a server
// and takes its capacity inside the caller's write transaction on the synchronous connection, so two launches
// racing for the last slot of a server can never both get it; Dedicated Hosts take and give back whole servers in
// Prisma transactions (the functions that take a `Db`).
import { housekeeping } from "./write-barrier.js";
import type { Footprint, Server } from "../domain/fleet.js";
import type { PrismaClient } from "./generated/client.js";
import { serverFromRow, serverToRow } from "./rows/server.js";
import type { Db } from "./scope.js";
import { placeholders, type Sql } from "./sql.js";

export interface PlacementRequest {
  availabilityZone: string;
  hostClasses: readonly string[];
  footprint: Footprint;
  /** A Dedicated Host's server only; otherwise servers that are not Dedicated Hosts. */
  dedicatedHostId?: string;
  /** Servers the placement group's strategy rules out (spread: used by the group; partition: other partitions). */
  excludeServers?: readonly string[];
  /** Instances of the footprint's capped size this launch has already put on the host (not yet stored). */
  placedOnHost?: number;
  /** This server or none (a live migration's chosen target). */
  onlyServerId?: string;
}

export class FleetRepo {
  private readonly seeded = new Map<string, Promise<number>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: Sql,
    /** The servers the fleet configuration gives a Region. */
    private readonly serversOf: (region: string) => Server[],
  ) {}

  /**
   * Makes sure the Region's servers exist before anything is placed there. Regions are seeded on first use, so a
   * server start does not write thousands of rows for Regions nobody touches.
   */
  ensureSeeded(region: string): Promise<number> {
    let seeding = this.seeded.get(region);
    if (!seeding) {
      // The Region's servers are the world a request meets, not its change: seeded even inside a dry run.
      seeding = housekeeping(() => this.seed(region, this.serversOf(region)));
      seeding.catch(() => this.seeded.delete(region));
      this.seeded.set(region, seeding);
    }
    return seeding;
  }

  /** Adds the servers a Region is missing; the ones that exist keep their capacity and instances. */
  private async seed(region: string, servers: readonly Server[]): Promise<number> {
    if (servers.length === 0) return 0;
    const existing = new Set((await this.prisma.server.findMany({ where: { region }, select: { serverId: true } })).map((row) => row.serverId));
    const missing = servers.filter((server) => !existing.has(server.serverId));
    for (let i = 0; i < missing.length; i += 500) {
      // A configured server starts shared: only AllocateHosts makes it a Dedicated Host.
      await this.prisma.server.createMany({ data: missing.slice(i, i + 500).map(({ dedicatedHostId: _none, ...server }) => serverToRow(server)) });
    }
    return missing.length;
  }

  async page(where: { region: string; availabilityZone?: string; hostClass?: string; afterId?: string; take: number }): Promise<Server[]> {
    const rows = await this.prisma.server.findMany({
      where: {
        region: where.region,
        ...(where.availabilityZone ? { availabilityZone: where.availabilityZone } : {}),
        ...(where.hostClass ? { hostClass: where.hostClass } : {}),
        ...(where.afterId ? { serverId: { gt: where.afterId } } : {}),
      },
      orderBy: { serverId: "asc" },
      take: where.take,
    });
    return rows.map(serverFromRow);
  }

  async servers(where: { region: string; availabilityZone?: string; serverIds?: string[] }): Promise<Server[]> {
    const rows = await this.prisma.server.findMany({
      where: {
        region: where.region,
        ...(where.availabilityZone ? { availabilityZone: where.availabilityZone } : {}),
        ...(where.serverIds ? { serverId: { in: where.serverIds } } : {}),
      },
      orderBy: { serverId: "asc" },
    });
    return rows.map(serverFromRow);
  }

  /** Whether some shared server of the zone could take one more instance of this footprint now. */
  async hasRoom(availabilityZone: string, hostClasses: readonly string[], footprint: Footprint): Promise<boolean> {
    return candidateQueries({ availabilityZone, hostClasses, footprint }).some(
      ({ where, params }) => this.sql.get(`SELECT 1 FROM "Server" WHERE ${where} LIMIT 1`, ...params) !== undefined,
    );
  }

  /**
   * Best fit: the server with the least free vCPUs that still fits (ties by id), so that servers fill up one by one
   * and empty ones stay free for bare metal and Dedicated Hosts. Takes the capacity; undefined when nothing fits.
   * Runs inside a write transaction of `sql`, so nothing can take the server between the read and the update.
   */
  static place(sql: Sql, request: PlacementRequest): string | undefined {
    const { footprint } = request;
    const candidate = FleetRepo.bestFit(sql, request);
    if (!candidate) return undefined;
    if (request.dedicatedHostId && footprint.hostSizeCap && atSizeCap(sql, candidate.serverId, footprint.hostSizeCap, request.placedOnHost ?? 0))
      return undefined;
    const taken = footprint.wholeServer ? { vCpus: candidate.freeVCpus, cores: candidate.freeCores, memoryMiB: candidate.freeMemoryMiB } : footprint;
    sql.run(
      'UPDATE "Server" SET "freeVCpus" = "freeVCpus" - ?, "freeCores" = "freeCores" - ?, "freeMemoryMiB" = "freeMemoryMiB" - ?, "instanceCount" = "instanceCount" + 1 WHERE "serverId" = ?',
      taken.vCpus,
      taken.cores,
      taken.memoryMiB,
      candidate.serverId,
    );
    return candidate.serverId;
  }

  /** The server `place` would take, without taking it (a dry run's answer). */
  static bestFit(sql: Sql, request: PlacementRequest): { serverId: string; freeVCpus: number; freeCores: number; freeMemoryMiB: number } | undefined {
    let candidate: { serverId: string; freeVCpus: number; freeCores: number; freeMemoryMiB: number } | undefined;
    for (const { where, params } of candidateQueries(request)) {
      const best = sql.get<NonNullable<typeof candidate>>(
        `SELECT "serverId", "freeVCpus", "freeCores", "freeMemoryMiB" FROM "Server" WHERE ${where} ORDER BY "freeVCpus", "serverId" LIMIT 1`,
        ...params,
      );
      if (best && (!candidate || best.freeVCpus < candidate.freeVCpus || (best.freeVCpus === candidate.freeVCpus && best.serverId < candidate.serverId)))
        candidate = best;
    }
    return candidate;
  }

  /**
   * Puts an instance on the server it was just placed on. An instance of a Dedicated Host follows its server's host:
   * moved to a replacement host (host recovery, host maintenance), its host affinity names the replacement.
   * `bootedAt`: the guest booted there (a recovery), unlike a live migration's guest.
   */
  static moveInstance(sql: Sql, instanceId: string, serverId: string, bootedAt?: Date): void {
    sql.run(
      'UPDATE "Instance" SET "serverId" = ?, "hostId" = CASE WHEN "hostId" IS NULL THEN NULL ELSE COALESCE((SELECT "dedicatedHostId" FROM "Server" WHERE "serverId" = ?), "hostId") END, "bootedAt" = COALESCE(?, "bootedAt") WHERE "instanceId" = ?',
      serverId,
      serverId,
      bootedAt ?? null,
      instanceId,
    );
  }

  /** Gives back what one instance took. A bare-metal instance had the whole server. */
  static release(sql: Sql, serverId: string, footprint: Footprint): void {
    if (footprint.wholeServer) {
      sql.run(
        // A Dedicated Host's server counts its free cores in host units: the metal instance took all of them.
        'UPDATE "Server" SET "freeVCpus" = "totalVCpus", "freeCores" = CASE WHEN "dedicatedHostId" IS NULL THEN "cores" ELSE "freeCores" + ? END, "freeMemoryMiB" = "memoryMiB", "instanceCount" = 0 WHERE "serverId" = ?',
        footprint.cores,
        serverId,
      );
      return;
    }
    sql.run(
      'UPDATE "Server" SET "freeVCpus" = "freeVCpus" + ?, "freeCores" = "freeCores" + ?, "freeMemoryMiB" = "freeMemoryMiB" + ?, "instanceCount" = "instanceCount" - 1 WHERE "serverId" = ?',
      footprint.vCpus,
      footprint.cores,
      footprint.memoryMiB,
      serverId,
    );
  }
}

/** Whether the host already runs the most instances of a size AWS allows on one host (an R5 host's 2 r5.8xlarge). */
function atSizeCap(sql: Sql, serverId: string, cap: { instanceType: string; max: number }, placedOnHost: number): boolean {
  const running = sql.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM "Instance" WHERE "serverId" = ? AND "instanceType" = ? AND "state" IN (\'pending\', \'running\')',
    serverId,
    cap.instanceType,
  );
  return (running?.n ?? 0) + placedOnHost >= cap.max;
}

/**
 * The servers that could take one more instance of the request's footprint, as WHERE clauses: one per host class,
 * so that each reads its own range of the (zone, dedicated host, class, free vCPUs, id) index in best-fit order,
 * where an IN list of classes would make SQLite sort every candidate of the zone.
 */
function candidateQueries(request: PlacementRequest): Array<{ where: string; params: unknown[] }> {
  const { footprint } = request;
  const common = (where: string[], params: unknown[]) => {
    // A server drained for maintenance or failed takes no new guest.
    where.push('"availabilityZone" = ?', '"freeMemoryMiB" >= ?', "\"state\" = 'available'");
    params.push(request.availabilityZone, footprint.memoryMiB);
    if (footprint.wholeServer) where.push('"instanceCount" = 0');
    if (request.onlyServerId) {
      where.push('"serverId" = ?');
      params.push(request.onlyServerId);
    }
    if (request.excludeServers?.length) {
      where.push(`"serverId" NOT IN (${placeholders(request.excludeServers.length)})`);
      params.push(...request.excludeServers);
    }
    return { where: where.join(" AND "), params };
  };
  if (request.dedicatedHostId) return [common(['"dedicatedHostId" = ?', '"freeCores" >= ?'], [request.dedicatedHostId, footprint.cores])];
  return request.hostClasses.map((hostClass) => common(['"dedicatedHostId" IS NULL', '"hostClass" = ?', '"freeVCpus" >= ?'], [hostClass, footprint.vCpus]));
}

/** Up to `quantity` empty shared servers of the zone, of these classes: candidates for Dedicated Hosts. */
export async function emptySharedServers(db: Db, availabilityZone: string, hostClasses: readonly string[], quantity: number): Promise<string[]> {
  const rows = await db.server.findMany({
    where: { availabilityZone, dedicatedHostId: null, instanceCount: 0, state: "available", hostClass: { in: [...hostClasses] } },
    orderBy: { serverId: "desc" },
    take: quantity,
    select: { serverId: true },
  });
  return rows.map((row) => row.serverId);
}

/**
 * Makes an empty shared server the host's, conditionally: false when it has an instance or a host by now. While it
 * is a host its free cores count the host's units (a T3 host's 192, an M5 host's 48 on a larger server).
 */
export async function assignServerToHost(db: Db, serverId: string, hostId: string, hostUnits: number): Promise<boolean> {
  const { count } = await db.server.updateMany({
    where: { serverId, dedicatedHostId: null, instanceCount: 0 },
    data: { dedicatedHostId: hostId, freeCores: hostUnits },
  });
  return count === 1;
}

export async function serverOfHost(db: Db, hostId: string): Promise<Server | undefined> {
  const row = await db.server.findFirst({ where: { dedicatedHostId: hostId } });
  return row ? serverFromRow(row) : undefined;
}

/** Gives a released (so empty) host's server back to shared use, with all its cores. */
export async function unassignServer(db: Db, serverId: string): Promise<void> {
  const { cores } = await db.server.findUniqueOrThrow({ where: { serverId }, select: { cores: true } });
  await db.server.update({ where: { serverId }, data: { dedicatedHostId: null, freeCores: cores } });
}
