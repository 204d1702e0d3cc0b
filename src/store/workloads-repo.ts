// Every read and write of the InstanceWorkload table, on the synchronous connection: the instance paths that
// simulate with a workload (a migration's timing, neighbour contention) read it inside their own transactions.
import type { Scope } from "../domain/caller.js";
import { changeWorkload, idleWorkload, type InstanceWorkload, type WorkloadChange } from "../domain/workload.js";
import { workloadColumns, workloadFromRow, workloadToRow } from "./rows/workload.js";
import { workloadChangeColumns, workloadChangeToRow } from "./rows/workload-change.js";
import type { Sql } from "./sql.js";

export class WorkloadsRepo {
  constructor(private readonly sql: Sql) {}

  /** The instance's workload; the idle default when none was ever set. */
  get(scope: Scope, instanceId: string): InstanceWorkload {
    return workloadSync(this.sql, scope, instanceId);
  }

  /** Applies a change to the stored workload in one write transaction, so two callers' changes both land. */
  async change(scope: Scope, instanceId: string, change: WorkloadChange, now: Date): Promise<InstanceWorkload> {
    return this.sql.write(() => {
      const next = changeWorkload(workloadSync(this.sql, scope, instanceId), change);
      const row = workloadToRow({ instanceId, accountId: scope.accountId, region: scope.region }, next, now);
      this.sql.run(`DELETE FROM "${workloadColumns.table}" WHERE "instanceId" = ?`, instanceId);
      this.sql.insert(workloadColumns.table, row);
      // GetInstanceMetrics reads any window of the past from the changes and their virtual times.
      this.sql.insert(workloadChangeColumns.table, workloadChangeToRow(instanceId, now, next));
      return next;
    });
  }
}

/** The workload inside a caller's transaction on the synchronous connection. */
export function workloadSync(sql: Sql, scope: Scope, instanceId: string): InstanceWorkload {
  const raw = sql.get<Record<string, unknown>>(
    `SELECT * FROM "${workloadColumns.table}" WHERE "instanceId" = ? AND "accountId" = ? AND "region" = ?`,
    instanceId,
    scope.accountId,
    scope.region,
  );
  return raw ? workloadFromRow(workloadColumns.fromSqlite(raw)) : idleWorkload;
}
