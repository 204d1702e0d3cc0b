// Values the server makes for itself and keeps across restarts: the session-token signing key, the virtual clock's
// offset, the version of the Amazon catalog last seeded. On the synchronous connection: a start reads them all,
// and without a Prisma query it does not load Prisma's query engine (src/store/database.ts).
import type { Sql } from "./sql.js";

export class ServerSecretsRepo {
  constructor(private readonly sql: Sql) {}

  async get(name: string): Promise<string | undefined> {
    return this.sql.get<{ value: string }>('SELECT "value" FROM "ServerSecret" WHERE "name" = ?', name)?.value;
  }

  /** The stored value, or `make()`'s, stored first; a concurrent first call keeps whichever won. */
  async getOrCreate(name: string, make: () => string): Promise<string> {
    const existing = await this.get(name);
    if (existing !== undefined) return existing;
    return this.sql.write(() => {
      this.sql.run('INSERT INTO "ServerSecret" ("name", "value") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING', name, make());
      return this.sql.get<{ value: string }>('SELECT "value" FROM "ServerSecret" WHERE "name" = ?', name)!.value;
    });
  }

  async put(name: string, value: string): Promise<void> {
    await this.sql.write(() =>
      this.sql.run('INSERT INTO "ServerSecret" ("name", "value") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "value" = excluded."value"', name, value),
    );
  }
}
