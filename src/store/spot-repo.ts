// Spot Instance requests, and the Spot side of the fleet, on the synchronous connection: an On-Demand launch that
// finds no free room takes it from Spot Instances inside its own placement transaction (reclaimSync), so the
// capacity an interruption frees can never go to anyone else first.
import type { Scope } from "../domain/caller.js";
import type { Footprint } from "../domain/fleet.js";
import { type InterruptionCause, interruption, type SpotRequest } from "../domain/spot.js";
import type { Tag } from "../domain/tags.js";
import { FleetRepo } from "./fleet-repo.js";
import { spotRequestColumns, spotRequestFromRow, spotRequestToRow } from "./rows/spot-request.js";
import { placeholders, type Sql } from "./sql.js";
import { insertTagsSync, tagsByResourceSync } from "./tags-repo.js";

export const spotRequestResourceType = "spot-instances-request";

/** Where an On-Demand instance needs room: the same terms as FleetRepo.place's. */
export interface RoomRequest {
  region: string;
  availabilityZone: string;
  hostClasses: readonly string[];
  footprint: Footprint;
  excludeServers?: readonly string[];
  now: Date;
}

/** A Spot Instance holding capacity, with its request. */
interface SpotHolder {
  spotInstanceRequestId: string;
  interruptionBehavior: SpotRequest["interruptionBehavior"];
  serverId: string;
  vCpus: number;
  cores: number;
  memoryMiB: number;
  wholeServer: number;
}

export class SpotRepo {
  constructor(private readonly sql: Sql) {}

  insertSync(request: SpotRequest, tags: readonly Tag[] = []): void {
    this.sql.insert(spotRequestColumns.table, spotRequestToRow(request));
    insertTagsSync(this.sql, { resourceId: request.spotInstanceRequestId, resourceType: spotRequestResourceType, ...ownerOf(request) }, tags);
  }

  async insert(requests: readonly SpotRequest[], tags: readonly Tag[]): Promise<void> {
    await this.sql.write(() => {
      for (const request of requests) this.insertSync(request, tags);
    });
  }

  updateSync(spotInstanceRequestId: string, data: Partial<SpotRequest>): void {
    const row = spotRequestToRow(data);
    const columns = Object.keys(row);
    if (columns.length === 0) return;
    this.sql.run(
      `UPDATE "SpotInstanceRequest" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "spotInstanceRequestId" = ?`,
      ...columns.map((c) => row[c as keyof typeof row]),
      spotInstanceRequestId,
    );
  }

  async update(spotInstanceRequestId: string, data: Partial<SpotRequest>): Promise<void> {
    await this.sql.write(() => this.updateSync(spotInstanceRequestId, data));
  }

  /** The account's requests in the Region, in id order, with their tags: all, or these. */
  list(scope: Scope, ids?: readonly string[]): Array<SpotRequest & { tags: Tag[] }> {
    const rows = this.sql.all<Record<string, unknown>>(
      `SELECT * FROM "SpotInstanceRequest" WHERE "accountId" = ? AND "region" = ?${ids ? ` AND "spotInstanceRequestId" IN (${placeholders(ids.length)})` : ""} ORDER BY "spotInstanceRequestId"`,
      scope.accountId,
      scope.region,
      ...(ids ?? []),
    );
    const requests = rows.map((row) => spotRequestFromRow(spotRequestColumns.fromSqlite(row)));
    const tags = requests.length
      ? tagsByResourceSync(
          this.sql,
          scope,
          spotRequestResourceType,
          requests.map((r) => r.spotInstanceRequestId),
        )
      : new Map();
    return requests.map((request) => ({ ...request, tags: tags.get(request.spotInstanceRequestId) ?? [] }));
  }

  typeOf(spotInstanceRequestId: string): string | undefined {
    return this.sql.get<{ type: string }>('SELECT "type" FROM "SpotInstanceRequest" WHERE "spotInstanceRequestId" = ?', spotInstanceRequestId)?.type;
  }

  /** Whether the Region has a request that may still change (open, active or disabled): the settle's cheap guard. */
  hasLive(region: string): boolean {
    return this.sql.get(`SELECT 1 FROM "SpotInstanceRequest" WHERE "region" = ? AND "state" IN ('open', 'active', 'disabled') LIMIT 1`, region) !== undefined;
  }

  /** Every account's requests of the Region that may still change, oldest first: the settle walks them. */
  live(region: string): SpotRequest[] {
    return this.sql
      .all<Record<string, unknown>>(
        `SELECT * FROM "SpotInstanceRequest" WHERE "region" = ? AND "state" IN ('open', 'active', 'disabled') ORDER BY "createdAt", "spotInstanceRequestId"`,
        region,
      )
      .map((row) => spotRequestFromRow(spotRequestColumns.fromSqlite(row)));
  }

  /** The Region's interruptions whose notice has run out by `now`: their action is due. */
  due(region: string, now: Date): SpotRequest[] {
    return this.sql
      .all<Record<string, unknown>>(
        `SELECT * FROM "SpotInstanceRequest" WHERE "region" = ? AND "state" = 'active' AND "actionAt" IS NOT NULL AND "actionAt" <= ? ORDER BY "actionAt", "spotInstanceRequestId"`,
        region,
        now,
      )
      .map((row) => spotRequestFromRow(spotRequestColumns.fromSqlite(row)));
  }

  /** The state of the instances these requests launched, as stored (the caller derives the current one). */
  instances(instanceIds: readonly string[]): Map<string, { state: string; transitionEndsAt: Date; serverId?: string }> {
    const found = new Map<string, { state: string; transitionEndsAt: Date; serverId?: string }>();
    if (instanceIds.length === 0) return found;
    for (const row of this.sql.all<{ instanceId: string; state: string; transitionEndsAt: string; serverId: string | null }>(
      `SELECT "instanceId", "state", "transitionEndsAt", "serverId" FROM "Instance" WHERE "instanceId" IN (${placeholders(instanceIds.length)})`,
      ...instanceIds,
    )) {
      found.set(row.instanceId, { state: row.state, transitionEndsAt: new Date(row.transitionEndsAt), ...(row.serverId ? { serverId: row.serverId } : {}) });
    }
    return found;
  }

  /** Interrupts one Spot Instance now: its capacity goes back to the fleet at once, its request gets the notice. */
  async interrupt(request: SpotRequest, cause: InterruptionCause, now: Date): Promise<void> {
    await this.sql.write(() => {
      const holder = this.sql.get<{ serverId: string | null }>('SELECT "serverId" FROM "Instance" WHERE "instanceId" = ?', request.instanceId);
      if (!holder?.serverId) return;
      const { vCpus, cores, memoryMiB, wholeServer } = request.footprint;
      const { spotInstanceRequestId, interruptionBehavior } = request;
      interruptSync(
        this.sql,
        { spotInstanceRequestId, interruptionBehavior, serverId: holder.serverId, vCpus, cores, memoryMiB, wholeServer: wholeServer ? 1 : 0 },
        cause,
        now,
      );
    });
  }

  /** The zone's shared servers of these classes: their vCPUs in all and in use. */
  zoneCapacity(availabilityZone: string, hostClasses: readonly string[]): { totalVCpus: number; usedVCpus: number } {
    const row = this.sql.get<{ total: number | null; free: number | null }>(
      `SELECT SUM("totalVCpus") AS total, SUM("freeVCpus") AS free FROM "Server" WHERE "availabilityZone" = ? AND "dedicatedHostId" IS NULL AND "hostClass" IN (${placeholders(hostClasses.length)})`,
      availabilityZone,
      ...hostClasses,
    );
    return { totalVCpus: row?.total ?? 0, usedVCpus: (row?.total ?? 0) - (row?.free ?? 0) };
  }

  /** Every instance the zone's shared servers ever held, of every account: its type, launch and end (for the price history). */
  zoneLives(availabilityZone: string): Array<{ instanceType: string; launchTime: Date; state: string; stateChangedAt: Date; releasedAt?: Date }> {
    return this.sql
      .all<{ instanceType: string; launchTime: string; state: string; stateChangedAt: string; noticeAt: string | null }>(
        `SELECT i."instanceType", i."launchTime", i."state", i."stateChangedAt", r."noticeAt" FROM "Instance" i LEFT JOIN "SpotInstanceRequest" r ON r."instanceId" = i."instanceId" WHERE i."availabilityZone" = ? AND i."tenancy" <> 'host'`,
        availabilityZone,
      )
      .map((row) => ({
        instanceType: row.instanceType,
        launchTime: new Date(row.launchTime),
        state: row.state,
        stateChangedAt: new Date(row.stateChangedAt),
        ...(row.noticeAt ? { releasedAt: new Date(row.noticeAt) } : {}),
      }));
  }

  /**
   * Makes room for one On-Demand instance by interrupting Spot Instances on one server, inside the caller's write
   * transaction: true when the server now fits the instance. A server where one Spot Instance is enough is taken
   * first (a query that stops at the first), else the server whose Spot Instances together free the most room.
   */
  static reclaimSync(sql: Sql, request: RoomRequest): boolean {
    const server = pickServer(sql, request);
    if (!server) return false;
    const holders = sql.all<SpotHolder>(
      `SELECT r."spotInstanceRequestId", r."interruptionBehavior", i."serverId", r."vCpus", r."cores", r."memoryMiB", r."wholeServer" FROM "Instance" i JOIN "SpotInstanceRequest" r ON r."instanceId" = i."instanceId" WHERE i."serverId" = ? AND r."state" = 'active' AND r."actionAt" IS NULL ORDER BY r."vCpus" DESC, r."spotInstanceRequestId"`,
      server.serverId,
    );
    let { freeVCpus, freeMemoryMiB } = server;
    const needAll = request.footprint.wholeServer;
    for (const holder of holders) {
      if (!needAll && freeVCpus >= request.footprint.vCpus && freeMemoryMiB >= request.footprint.memoryMiB) break;
      interruptSync(sql, holder, "no-capacity", request.now);
      freeVCpus += holder.vCpus;
      freeMemoryMiB += holder.memoryMiB;
    }
    return true;
  }
}

function ownerOf(request: Pick<SpotRequest, "accountId" | "region">) {
  return { accountId: request.accountId, region: request.region };
}

/** The capacity goes back now; the instance runs on, off its server, until the notice ends (docs/spot.md). */
function interruptSync(sql: Sql, holder: SpotHolder, cause: InterruptionCause, now: Date): void {
  FleetRepo.release(sql, holder.serverId, { vCpus: holder.vCpus, cores: holder.cores, memoryMiB: holder.memoryMiB, wholeServer: holder.wholeServer === 1 });
  sql.run('UPDATE "Instance" SET "serverId" = NULL WHERE "spotInstanceRequestId" = ? AND "serverId" = ?', holder.spotInstanceRequestId, holder.serverId);
  const notice = spotRequestToRow(interruption({ interruptionBehavior: holder.interruptionBehavior }, cause, now));
  const columns = Object.keys(notice);
  sql.run(
    `UPDATE "SpotInstanceRequest" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "spotInstanceRequestId" = ?`,
    ...columns.map((c) => notice[c as keyof typeof notice]),
    holder.spotInstanceRequestId,
  );
}

function pickServer(sql: Sql, request: RoomRequest): { serverId: string; freeVCpus: number; freeMemoryMiB: number } | undefined {
  const where = [
    'r."region" = ?',
    "r.\"state\" = 'active'",
    'r."actionAt" IS NULL',
    'i."availabilityZone" = ?',
    's."dedicatedHostId" IS NULL',
    "s.\"state\" = 'available'",
    `s."hostClass" IN (${placeholders(request.hostClasses.length)})`,
  ];
  const params: unknown[] = [request.region, request.availabilityZone, ...request.hostClasses];
  if (request.excludeServers?.length) {
    where.push(`s."serverId" NOT IN (${placeholders(request.excludeServers.length)})`);
    params.push(...request.excludeServers);
  }
  const from = `"SpotInstanceRequest" r JOIN "Instance" i ON i."instanceId" = r."instanceId" JOIN "Server" s ON s."serverId" = i."serverId"`;
  const { vCpus, memoryMiB, wholeServer } = request.footprint;
  if (!wholeServer) {
    const single = sql.get<{ serverId: string; freeVCpus: number; freeMemoryMiB: number }>(
      `SELECT s."serverId", s."freeVCpus", s."freeMemoryMiB" FROM ${from} WHERE ${where.join(" AND ")} AND s."freeVCpus" + r."vCpus" >= ? AND s."freeMemoryMiB" + r."memoryMiB" >= ? LIMIT 1`,
      ...params,
      vCpus,
      memoryMiB,
    );
    if (single) return single;
  }
  // A bare-metal instance needs a server that only Spot Instances hold.
  return sql.get<{ serverId: string; freeVCpus: number; freeMemoryMiB: number }>(
    `SELECT s."serverId", s."freeVCpus", s."freeMemoryMiB" FROM ${from} WHERE ${where.join(" AND ")} GROUP BY s."serverId" HAVING s."freeVCpus" + SUM(r."vCpus") >= ? AND s."freeMemoryMiB" + SUM(r."memoryMiB") >= ?${wholeServer ? ' AND COUNT(*) = s."instanceCount"' : ""} ORDER BY s."freeVCpus" + SUM(r."vCpus") DESC, s."serverId" LIMIT 1`,
    ...params,
    wholeServer ? 0 : vCpus,
    wholeServer ? 0 : memoryMiB,
  );
}
