// Servers of the simulated fleet and the capacity on them. Placement takes capacity with a conditional update, so
// two launches racing for the last slot of a server can never both get it, inside the caller's transaction.
import type { Footprint, Server } from "../domain/fleet.js";
import type { Prisma, PrismaClient, Server as ServerRow } from "./generated/client.js";

export type Db = PrismaClient | Prisma.TransactionClient;

export interface PlacementRequest {
  availabilityZone: string;
  hostClasses: readonly string[];
  footprint: Footprint;
  /** A Dedicated Host's server only; otherwise servers that are not Dedicated Hosts. */
  dedicatedHostId?: string;
  /** Servers the placement group's strategy rules out (spread: used by the group; partition: other partitions). */
  excludeServers?: readonly string[];
}

export class FleetRepo {
  private readonly seeded = new Map<string, Promise<number>>();

  constructor(
    private readonly prisma: PrismaClient,
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
      seeding = this.seed(region, this.serversOf(region));
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
      await this.prisma.server.createMany({ data: missing.slice(i, i + 500).map(({ dedicatedHostId: _none, ...server }) => server) });
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
    return rows.map(toServer);
  }

  async servers(where: { region: string; availabilityZone?: string; serverIds?: string[] }): Promise<Server[]> {
    const rows = await this.prisma.server.findMany({
      where: { region: where.region, ...(where.availabilityZone ? { availabilityZone: where.availabilityZone } : {}), ...(where.serverIds ? { serverId: { in: where.serverIds } } : {}) },
      orderBy: { serverId: "asc" },
    });
    return rows.map(toServer);
  }

  /**
   * Best fit: the server with the least free vCPUs that still fits (ties by id), so that servers fill up one by one
   * and empty ones stay free for bare metal and Dedicated Hosts. Takes the capacity; undefined when nothing fits.
   */
  static async place(db: Db, request: PlacementRequest): Promise<string | undefined> {
    const { footprint } = request;
    const fits: Prisma.ServerWhereInput = {
      availabilityZone: request.availabilityZone,
      dedicatedHostId: request.dedicatedHostId ?? null,
      ...(request.dedicatedHostId ? {} : { hostClass: { in: [...request.hostClasses] } }),
      ...(request.dedicatedHostId ? { freeCores: { gte: footprint.cores } } : { freeVCpus: { gte: footprint.vCpus } }),
      freeMemoryMiB: { gte: footprint.memoryMiB },
      ...(footprint.wholeServer ? { instanceCount: 0 } : {}),
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const candidate = await db.server.findFirst({
        where: { ...fits, ...(request.excludeServers?.length ? { serverId: { notIn: [...request.excludeServers] } } : {}) },
        orderBy: [{ freeVCpus: "asc" }, { serverId: "asc" }],
        select: { serverId: true, freeVCpus: true, freeCores: true, freeMemoryMiB: true },
      });
      if (!candidate) return undefined;
      const taken = footprint.wholeServer ? { vCpus: candidate.freeVCpus, cores: candidate.freeCores, memoryMiB: candidate.freeMemoryMiB } : footprint;
      const updated = await db.server.updateMany({
        where: { ...fits, serverId: candidate.serverId },
        data: { freeVCpus: { decrement: taken.vCpus }, freeCores: { decrement: taken.cores }, freeMemoryMiB: { decrement: taken.memoryMiB }, instanceCount: { increment: 1 } },
      });
      if (updated.count === 1) return candidate.serverId;
    }
    return undefined;
  }

  /** Whether some shared server of the zone could take one more instance of this footprint now. */
  async hasRoom(availabilityZone: string, hostClasses: readonly string[], footprint: Footprint): Promise<boolean> {
    const found = await this.prisma.server.findFirst({
      where: {
        availabilityZone,
        dedicatedHostId: null,
        hostClass: { in: [...hostClasses] },
        freeVCpus: { gte: footprint.vCpus },
        freeMemoryMiB: { gte: footprint.memoryMiB },
        ...(footprint.wholeServer ? { instanceCount: 0 } : {}),
      },
      select: { serverId: true },
    });
    return found !== null;
  }

  /** Gives back what one instance took. A bare-metal instance had the whole server. */
  static async release(db: Db, serverId: string, footprint: Footprint): Promise<void> {
    if (footprint.wholeServer) {
      await db.$executeRaw`UPDATE "Server" SET "freeVCpus" = "totalVCpus", "freeCores" = "cores", "freeMemoryMiB" = "memoryMiB", "instanceCount" = 0 WHERE "serverId" = ${serverId}`;
      return;
    }
    await db.server.update({
      where: { serverId },
      data: { freeVCpus: { increment: footprint.vCpus }, freeCores: { increment: footprint.cores }, freeMemoryMiB: { increment: footprint.memoryMiB }, instanceCount: { decrement: 1 } },
    });
  }
}

function toServer(row: ServerRow): Server {
  const { dedicatedHostId, ...rest } = row;
  return { ...rest, hypervisor: rest.hypervisor as Server["hypervisor"], ...(dedicatedHostId ? { dedicatedHostId } : {}) };
}
