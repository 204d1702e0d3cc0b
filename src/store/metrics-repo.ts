// The reads of GetInstanceMetrics, on the synchronous connection: an instance's stays on servers, every stay on
// those servers (any account's: neighbours share a server whoever owns them), the workload changes of those guests,
// and the servers. Only the service decides what the caller may see; this reads what the models need.
import type { Server } from "../domain/fleet.js";
import type { StayRecord, WorkloadPoint } from "../domain/instance-metrics.js";
import { guestStayColumns, guestStayFromRow } from "./rows/guest-stay.js";
import { serverColumns, serverFromRow } from "./rows/server.js";
import { workloadChangeColumns, workloadChangeFromRow } from "./rows/workload-change.js";
import { boundChunks } from "./bound-ids.js";
import { placeholders, type Sql } from "./sql.js";

/** A stay and its guest's network flags (read from the instance: they change only while it is stopped). */
export interface StayWithNetwork extends StayRecord {
  enaSupport: boolean;
  sriovNetSupport?: string;
}

const overlaps = `"arrivedAt" < ? AND ("leftAt" IS NULL OR "leftAt" > ?)`;

export class MetricsRepo {
  constructor(private readonly sql: Sql) {}

  /** The instance's stays that overlap [from, to), oldest first. */
  staysOf(instanceId: string, from: Date, to: Date): StayRecord[] {
    return this.sql
      .all<Record<string, unknown>>(
        `SELECT * FROM "${guestStayColumns.table}" WHERE "instanceId" = ? AND ${overlaps} ORDER BY "arrivedAt", "id"`,
        instanceId,
        to,
        from,
      )
      .map((raw) => guestStayFromRow(guestStayColumns.fromSqlite(raw)));
  }

  /** Every stay on these servers that overlaps [from, to), with its guest's network flags. */
  staysOn(serverIds: readonly string[], from: Date, to: Date): StayWithNetwork[] {
    if (serverIds.length === 0) return [];
    return this.sql
      .all<Record<string, unknown>>(
        `SELECT s.*, i."enaSupport" AS "enaSupport", i."sriovNetSupport" AS "sriovNetSupport" FROM "${guestStayColumns.table}" s
         LEFT JOIN "Instance" i ON i."instanceId" = s."instanceId"
         WHERE s."serverId" IN (${placeholders(serverIds.length)}) AND s."arrivedAt" < ? AND (s."leftAt" IS NULL OR s."leftAt" > ?)
         ORDER BY s."arrivedAt", s."id"`,
        ...serverIds,
        to,
        from,
      )
      .map((raw) => ({
        ...guestStayFromRow(guestStayColumns.fromSqlite(raw)),
        enaSupport: raw.enaSupport === 1,
        ...(typeof raw.sriovNetSupport === "string" ? { sriovNetSupport: raw.sriovNetSupport } : {}),
      }));
  }

  /** Each instance's workload changes before `until`, oldest first. */
  workloads(instanceIds: readonly string[], until: Date): Map<string, WorkloadPoint[]> {
    const points = new Map<string, WorkloadPoint[]>(instanceIds.map((id) => [id, []]));
    for (const ids of boundChunks(instanceIds)) {
      const rows = this.sql.all<Record<string, unknown>>(
        `SELECT * FROM "${workloadChangeColumns.table}" WHERE "instanceId" IN (${placeholders(ids.length)}) AND "at" < ? ORDER BY "at", "id"`,
        ...ids,
        until,
      );
      for (const raw of rows) {
        const row = workloadChangeColumns.fromSqlite(raw);
        points.get(row.instanceId)?.push(workloadChangeFromRow(row));
      }
    }
    return points;
  }

  servers(serverIds: readonly string[]): Server[] {
    if (serverIds.length === 0) return [];
    return this.sql
      .all<Record<string, unknown>>(`SELECT * FROM "${serverColumns.table}" WHERE "serverId" IN (${placeholders(serverIds.length)})`, ...serverIds)
      .map((raw) => serverFromRow(serverColumns.fromSqlite(raw)));
  }
}
