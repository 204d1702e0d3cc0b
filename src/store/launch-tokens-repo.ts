// The instances a RunInstances ClientToken already launched, found by the Instance table's (account, region, token)
// index: RunInstances settles idempotency before it judges anything (docs/decisions.md).
import type { Scope } from "../domain/caller.js";
import type { Sql } from "./sql.js";

export class LaunchTokensRepo {
  constructor(private readonly sql: Sql) {}

  /** The ids of the instances launched with this token, by launch index; empty when the token is new. */
  instanceIds(scope: Scope, clientToken: string): string[] {
    return this.sql
      .all<{ instanceId: string }>(
        'SELECT "instanceId" FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "clientToken" = ? ORDER BY "launchIndex"',
        scope.accountId,
        scope.region,
        clientToken,
      )
      .map((row) => row.instanceId);
  }
}
