// The account's EBS encryption by default per region (EnableEbsEncryptionByDefault), on the synchronous connection:
// RunInstances reads it inside the launch path. A row exists once the setting was changed; EC2's default is off.
import type { Scope } from "../domain/caller.js";
import type { Sql } from "./sql.js";

export class EbsEncryptionRepo {
  constructor(private readonly sql: Sql) {}

  async isEnabled(scope: Scope): Promise<boolean> {
    const row = this.sql.get<{ enabled: number }>(
      'SELECT "enabled" FROM "EbsEncryptionDefault" WHERE "accountId" = ? AND "region" = ?',
      scope.accountId,
      scope.region,
    );
    return row?.enabled === 1;
  }

  async set(scope: Scope, enabled: boolean): Promise<void> {
    await this.sql.write(() =>
      this.sql.run(
        'INSERT INTO "EbsEncryptionDefault" ("accountId", "region", "enabled") VALUES (?, ?, ?) ' +
          'ON CONFLICT ("accountId", "region") DO UPDATE SET "enabled" = excluded."enabled"',
        scope.accountId,
        scope.region,
        enabled ? 1 : 0,
      ),
    );
  }
}
