// Dedicated Hosts that fail or are maintained, on the synchronous connection: the replacement host is allocated in
// the same write transaction that moves the instances onto it (host recovery) or starts their live migrations
// (host maintenance), so a crash leaves either nothing done or all of it, and a second call finds the replacement
// already recorded on the old host and allocates no other.
import type { DedicatedHost, HostState } from "../domain/dedicated-hosts.js";
import { replacementHost, stateAfterEviction } from "../domain/dedicated-host-life.js";
import type { Footprint } from "../domain/fleet.js";
import type { InstanceMigration } from "../domain/instance-migrations.js";
import { newId } from "../domain/ids.js";
import { FleetRepo } from "./fleet-repo.js";
import type { MigrationsRepo, MigrationStart } from "./migrations-repo.js";
import { hostColumns, hostFromRow, hostToRow } from "./rows/dedicated-host.js";
import { tagColumns, tagFromRow, tagToRow } from "./rows/tag.js";
import type { Sql } from "./sql.js";

export interface HostGuest {
  instanceId: string;
  footprint: Footprint;
}

export class HostLifeRepo {
  constructor(
    private readonly sql: Sql,
    private readonly migrations: MigrationsRepo,
  ) {}

  /** The Dedicated Host the server is allocated as, of whichever account. */
  hostOfServer(serverId: string): DedicatedHost | undefined {
    const raw = this.sql.get<Record<string, unknown>>(
      `SELECT "${hostColumns.table}".* FROM "${hostColumns.table}" JOIN "Server" ON "Server"."dedicatedHostId" = "${hostColumns.table}"."hostId" WHERE "Server"."serverId" = ?`,
      serverId,
    );
    return raw ? this.withTags(raw) : undefined;
  }

  /**
   * Host recovery: the replacement host, and each of `guests` still on the failed server moved onto it (same
   * instance; its host affinity follows), then the failed host's state. No replacement when no empty server of
   * the failed one's class is left in the zone: nothing moves.
   */
  async recover(
    failed: DedicatedHost,
    guests: readonly HostGuest[],
    hostUnits: number,
    now: Date,
  ): Promise<{ replacement?: DedicatedHost; recovered: string[] }> {
    return this.sql.write(() => {
      const replacement = this.replacementSync(failed, hostUnits, now);
      if (!replacement) {
        this.setStateSync(failed.hostId, "permanent-failure", now);
        return { recovered: [] };
      }
      const recovered = guests.filter((guest) => this.moveSync(guest, failed.serverId, replacement, now)).map((guest) => guest.instanceId);
      this.setStateSync(failed.hostId, stateAfterEviction(this.runningOn(failed.serverId)), now);
      return { replacement, recovered };
    });
  }

  /**
   * Host maintenance: the replacement host, the degraded host marked permanent-failure, and the live migrations
   * onto the replacement started (`starts` builds them once the replacement is known), in one transaction.
   */
  async startMaintenance(
    degraded: DedicatedHost,
    starts: (replacement: DedicatedHost) => readonly MigrationStart[],
    hostUnits: number,
    now: Date,
  ): Promise<{ replacement?: DedicatedHost; migrations: Array<InstanceMigration | undefined> }> {
    return this.sql.write(() => {
      const replacement = this.replacementSync(degraded, hostUnits, now);
      this.setStateSync(degraded.hostId, "permanent-failure", now);
      return replacement ? { replacement, migrations: this.migrations.startManySync(starts(replacement)) } : { migrations: [] };
    });
  }

  async setState(hostId: string, state: HostState, now: Date): Promise<void> {
    await this.sql.write(() => this.setStateSync(hostId, state, now));
  }

  /** Failed or degraded hosts that nothing runs on any more are released for good ("permanently released"). */
  async releaseEvicted(now: Date): Promise<number> {
    const evicted = `"state" = 'permanent-failure' AND NOT EXISTS (SELECT 1 FROM "Server" WHERE "Server"."dedicatedHostId" = "${hostColumns.table}"."hostId" AND "Server"."instanceCount" > 0)`;
    if (!this.sql.get(`SELECT 1 FROM "${hostColumns.table}" WHERE ${evicted} LIMIT 1`)) return 0;
    return this.sql.write(() =>
      this.sql.run(`UPDATE "${hostColumns.table}" SET "state" = 'released-permanent-failure', "releasedAt" = ? WHERE ${evicted}`, now),
    );
  }

  /** The replacement an earlier call recorded, or a new one on an empty server of the same class and zone. */
  private replacementSync(old: DedicatedHost, hostUnits: number, now: Date): DedicatedHost | undefined {
    if (old.replacementHostId) {
      const raw = this.sql.get<Record<string, unknown>>(`SELECT * FROM "${hostColumns.table}" WHERE "hostId" = ?`, old.replacementHostId);
      return raw ? this.withTags(raw) : undefined;
    }
    const server = this.sql.get<{ serverId: string }>(
      `SELECT "serverId" FROM "Server" WHERE "availabilityZone" = ? AND "hostClass" = (SELECT "hostClass" FROM "Server" WHERE "serverId" = ?)
         AND "dedicatedHostId" IS NULL AND "instanceCount" = 0 AND "state" = 'available' ORDER BY "serverId" DESC LIMIT 1`,
      old.availabilityZone,
      old.serverId,
    );
    if (!server) return undefined;
    const replacement = replacementHost(old, newId("h"), server.serverId, now);
    this.sql.run('UPDATE "Server" SET "dedicatedHostId" = ?, "freeCores" = ? WHERE "serverId" = ?', replacement.hostId, hostUnits, server.serverId);
    this.sql.insert(hostColumns.table, hostToRow(replacement));
    const owner = { resourceId: replacement.hostId, resourceType: "dedicated-host", accountId: replacement.accountId, region: replacement.region };
    for (const tag of replacement.tags) this.sql.insert(tagColumns.table, tagToRow(owner, tag));
    this.sql.run(`UPDATE "${hostColumns.table}" SET "replacementHostId" = ? WHERE "hostId" = ?`, replacement.hostId, old.hostId);
    return replacement;
  }

  /** One guest onto the replacement host, if it is still on the old server and the replacement has room. */
  private moveSync(guest: HostGuest, fromServerId: string, to: DedicatedHost, now: Date): boolean {
    const row = this.sql.get<{ serverId: string | null }>('SELECT "serverId" FROM "Instance" WHERE "instanceId" = ?', guest.instanceId);
    if (row?.serverId !== fromServerId) return false;
    const serverId = FleetRepo.place(this.sql, {
      availabilityZone: to.availabilityZone,
      hostClasses: [],
      footprint: guest.footprint,
      dedicatedHostId: to.hostId,
    });
    if (!serverId) return false;
    FleetRepo.release(this.sql, fromServerId, guest.footprint);
    FleetRepo.moveInstance(this.sql, guest.instanceId, serverId, now);
    return true;
  }

  private runningOn(serverId: string): number {
    return this.sql.get<{ n: number }>('SELECT "instanceCount" AS n FROM "Server" WHERE "serverId" = ?', serverId)?.n ?? 0;
  }

  private setStateSync(hostId: string, state: HostState, now: Date): void {
    const released = state === "released" || state === "released-permanent-failure";
    this.sql.run(`UPDATE "${hostColumns.table}" SET "state" = ?, "releasedAt" = ? WHERE "hostId" = ?`, state, released ? now : null, hostId);
  }

  private withTags(raw: Record<string, unknown>): DedicatedHost {
    const row = hostColumns.fromSqlite(raw);
    const tags = this.sql
      .all<{ key: string; value: string }>(
        `SELECT "key", "value" FROM "${tagColumns.table}" WHERE "resourceId" = ? AND "accountId" = ? ORDER BY "key"`,
        row.hostId,
        row.accountId,
      )
      .map(tagFromRow);
    return hostFromRow(row, tags);
  }
}
