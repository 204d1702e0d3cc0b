// DescribeFleet: a page of the Region's simulated servers, each as the caller may see it (domain/fleet-view.ts).
import type { Caller } from "../domain/caller.js";
import { type ServerView, viewOfServer } from "../domain/fleet-view.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { HostsRepo } from "../store/hosts-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";

export interface FleetQuery {
  availabilityZone?: string;
  hostClass?: string;
  maxResults?: number;
  nextToken?: string;
}

export class FleetViewService {
  constructor(
    private readonly fleet: FleetRepo,
    private readonly instances: InstancesRepo,
    private readonly hosts: HostsRepo,
    /** Completes the live migrations that are due, so each server shows where its guests are now. */
    private readonly settleMigrations: () => Promise<unknown> = async () => {},
  ) {}

  async describe(caller: Caller, query: FleetQuery): Promise<{ servers: ServerView[]; nextToken?: string }> {
    const take = query.maxResults ?? 1000;
    await this.fleet.ensureSeeded(caller.region);
    await this.settleMigrations();
    const servers = await this.fleet.page({
      region: caller.region,
      ...(query.availabilityZone ? { availabilityZone: query.availabilityZone } : {}),
      ...(query.hostClass ? { hostClass: query.hostClass } : {}),
      ...(query.nextToken ? { afterId: decodeToken(query.nextToken) } : {}),
      take: take + 1,
    });
    const page = servers.slice(0, take);
    const occupants = await this.instances.onServers(page.filter((s) => s.instanceCount > 0).map((s) => s.serverId));
    const callerHostIds = page.some((server) => server.dedicatedHostId)
      ? new Set((await this.hosts.list(caller)).map((host) => host.hostId))
      : new Set<string>();
    return {
      servers: page.map((server) => viewOfServer(server, occupants, caller.accountId, callerHostIds)),
      ...(servers.length > take ? { nextToken: encodeToken(page[page.length - 1]!.serverId) } : {}),
    };
  }
}
