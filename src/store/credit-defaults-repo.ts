// The account's default credit option per burstable family and region (ModifyDefaultCreditSpecification), on the
// synchronous connection: RunInstances of a burstable type reads it inside the launch path. Only changed families
// have a row; the domain supplies the family's own default otherwise.
import type { CreditMode } from "../domain/burstable.js";
import type { Scope } from "../domain/caller.js";
import { type BurstableFamily, familyOf } from "../domain/credit-specification.js";
import type { Sql } from "./sql.js";

export class CreditDefaultsRepo {
  constructor(private readonly sql: Sql) {}

  /** The account's changed default for the family, or undefined when it was never changed. */
  async find(scope: Scope, family: BurstableFamily): Promise<CreditMode | undefined> {
    return this.sql.get<{ cpuCredits: CreditMode }>(
      'SELECT "cpuCredits" FROM "DefaultCreditSpecification" WHERE "accountId" = ? AND "region" = ? AND "instanceFamily" = ?',
      scope.accountId,
      scope.region,
      family,
    )?.cpuCredits;
  }

  /** The changed default for an instance type's family; no query for a type that does not run on credits. */
  async forInstanceType(scope: Scope, instanceType: string): Promise<CreditMode | undefined> {
    const family = familyOf(instanceType);
    return family ? this.find(scope, family) : undefined;
  }

  async put(scope: Scope, family: BurstableFamily, mode: CreditMode): Promise<void> {
    await this.sql.write(() =>
      this.sql.run(
        'INSERT INTO "DefaultCreditSpecification" ("accountId", "region", "instanceFamily", "cpuCredits") VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT ("accountId", "region", "instanceFamily") DO UPDATE SET "cpuCredits" = excluded."cpuCredits"',
        scope.accountId,
        scope.region,
        family,
        mode,
      ),
    );
  }
}
