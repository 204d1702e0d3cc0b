// Servers' states and instances' scheduled events, on the synchronous connection: a drain reads the guests of a
// server of every account, and DescribeInstanceStatus reads the caller's events beside its instances.
import type { Scope } from "../domain/caller.js";
import type { ServerState } from "../domain/fleet.js";
import { eventVisible, type InstanceEvent } from "../domain/instance-events.js";
import type { Instance } from "../domain/instances.js";
import { FleetRepo, type PlacementRequest } from "./fleet-repo.js";
import { eventColumns, eventFromRow, eventToRow } from "./rows/instance-event.js";
import { storedInstanceDecoder } from "./rows/instance.js";
import { boundChunks } from "./bound-ids.js";
import { placeholders, type Sql } from "./sql.js";

export class MaintenanceRepo {
  constructor(private readonly sql: Sql) {}

  state(serverId: string): ServerState | undefined {
    return this.sql.get<{ state: ServerState }>('SELECT "state" FROM "Server" WHERE "serverId" = ?', serverId)?.state;
  }

  async setState(serverId: string, state: ServerState): Promise<void> {
    await this.sql.write(() => this.sql.run('UPDATE "Server" SET "state" = ? WHERE "serverId" = ?', state, serverId));
  }

  /** The pending and running instances on the server, of every account (a drain moves them all). */
  guests(serverId: string): Instance[] {
    return this.sql.decoded(
      `SELECT * FROM "Instance" WHERE "serverId" = ? AND "state" IN ('pending', 'running') ORDER BY "instanceId"`,
      storedInstanceDecoder,
      serverId,
    );
  }

  /** Records events, leaving out instances that already have an open one about the same server (a resumed drain). */
  async schedule(events: readonly InstanceEvent[]): Promise<InstanceEvent[]> {
    return this.sql.write(() =>
      events.filter((event) => {
        const open = this.sql.get(
          `SELECT 1 FROM "${eventColumns.table}" WHERE "instanceId" = ? AND "serverId" = ? AND "completedAt" IS NULL`,
          event.instanceId,
          event.serverId,
        );
        if (open) return false;
        this.sql.insert(eventColumns.table, eventToRow(event));
        return true;
      }),
    );
  }

  /**
   * Moves a failed server's guest to another server, as simplified automatic recovery does: same instance, its
   * capacity taken elsewhere and given back on the failed server, in one transaction; the guest boots there at `now`.
   * False when nothing has room.
   */
  async recover(instanceId: string, failedServerId: string, request: PlacementRequest, now: Date): Promise<boolean> {
    return this.sql.write(() => {
      const row = this.sql.get<{ serverId: string | null }>('SELECT "serverId" FROM "Instance" WHERE "instanceId" = ?', instanceId);
      if (row?.serverId !== failedServerId) return false;
      const serverId = FleetRepo.place(this.sql, request);
      if (!serverId) return false;
      FleetRepo.release(this.sql, failedServerId, request.footprint);
      FleetRepo.moveInstance(this.sql, instanceId, serverId, now);
      return true;
    });
  }

  /** Open events whose instance has left the event's server (stopped, moved, terminated): completed now. */
  async completeLeft(now: Date): Promise<number> {
    const left = `"completedAt" IS NULL AND "serverId" IS NOT (SELECT "serverId" FROM "Instance" WHERE "Instance"."instanceId" = "${eventColumns.table}"."instanceId")`;
    if (!this.sql.get(`SELECT 1 FROM "${eventColumns.table}" WHERE ${left} LIMIT 1`)) return 0;
    return this.sql.write(() => this.sql.run(`UPDATE "${eventColumns.table}" SET "completedAt" = ? WHERE ${left}`, now));
  }

  /** Open events whose start has come, of every account: the system acts on them now. */
  due(now: Date): InstanceEvent[] {
    return this.sql
      .all<Record<string, unknown>>(`SELECT * FROM "${eventColumns.table}" WHERE "completedAt" IS NULL AND "notBefore" <= ?`, now)
      .map((raw) => eventFromRow(eventColumns.fromSqlite(raw)));
  }

  async complete(instanceEventId: string, now: Date): Promise<void> {
    await this.sql.write(() => this.sql.run(`UPDATE "${eventColumns.table}" SET "completedAt" = ? WHERE "instanceEventId" = ?`, now, instanceEventId));
  }

  /** The visible events of these instances of the scope, by instance. */
  eventsOf(scope: Scope, instanceIds: readonly string[], now: Date): Map<string, InstanceEvent[]> {
    const byInstance = new Map<string, InstanceEvent[]>();
    for (const ids of boundChunks(instanceIds)) {
      const rows = this.sql.all<Record<string, unknown>>(
        `SELECT * FROM "${eventColumns.table}" WHERE "accountId" = ? AND "region" = ? AND "instanceId" IN (${placeholders(ids.length)}) ORDER BY "createdAt", "instanceEventId"`,
        scope.accountId,
        scope.region,
        ...ids,
      );
      for (const event of rows.map((raw) => eventFromRow(eventColumns.fromSqlite(raw)))) {
        if (!eventVisible(event, now)) continue;
        byInstance.set(event.instanceId, [...(byInstance.get(event.instanceId) ?? []), event]);
      }
    }
    return byInstance;
  }

  /** One event of one of the scope's instances, or undefined. */
  event(scope: Scope, instanceId: string, instanceEventId: string): InstanceEvent | undefined {
    const raw = this.sql.get<Record<string, unknown>>(
      `SELECT * FROM "${eventColumns.table}" WHERE "instanceEventId" = ? AND "instanceId" = ? AND "accountId" = ? AND "region" = ?`,
      instanceEventId,
      instanceId,
      scope.accountId,
      scope.region,
    );
    return raw ? eventFromRow(eventColumns.fromSqlite(raw)) : undefined;
  }

  async moveEvent(event: InstanceEvent): Promise<void> {
    await this.sql.write(() =>
      this.sql.run(
        `UPDATE "${eventColumns.table}" SET "notBefore" = ?, "notAfter" = ? WHERE "instanceEventId" = ?`,
        event.notBefore,
        event.notAfter ?? null,
        event.instanceEventId,
      ),
    );
  }

  /** Which of these servers have failed. */
  failedServers(serverIds: readonly string[]): Set<string> {
    if (serverIds.length === 0) return new Set();
    return new Set(
      this.sql
        .all<{ serverId: string }>(
          `SELECT "serverId" FROM "Server" WHERE "state" = 'failed' AND "serverId" IN (${placeholders(serverIds.length)})`,
          ...serverIds,
        )
        .map((row) => row.serverId),
    );
  }
}
