// Accounts and their long-term access keys, on the synchronous connection: every request reads its key, and the
// server's start writes the default one without a Prisma query (src/store/database.ts says why that matters).
import type { AccessKeyRecord, AccountSummary } from "../domain/caller.js";
import { ReadCache } from "./read-cache.js";
import type { Sql } from "./sql.js";

/**
 * One key cache per connection, shared by every AccountsRepo on it: a write through one repo must empty what another
 * would answer from (data_version does not show a connection its own commits).
 */
const keyCaches = new WeakMap<Sql, ReadCache<AccessKeyRecord>>();

export class AccountsRepo {
  /** Every signed request reads its key: cached (src/store/read-cache.ts), and emptied by this connection's key writes. */
  private readonly keys: ReadCache<AccessKeyRecord>;

  constructor(private readonly sql: Sql) {
    let keys = keyCaches.get(sql);
    if (!keys) {
      keys = new ReadCache(sql);
      keyCaches.set(sql, keys);
    }
    this.keys = keys;
  }

  async findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | null> {
    return (
      this.keys.get(accessKeyId, () =>
        this.sql.get<AccessKeyRecord>('SELECT "accessKeyId", "secretAccessKey", "accountId" FROM "AccessKey" WHERE "accessKeyId" = ?', accessKeyId),
      ) ?? null
    );
  }

  /**
   * Makes sure the account exists and the key belongs to it with this secret (the configured default key). A key
   * is never moved to another account: everything it made, and its session tokens, belong to its account.
   */
  async ensureKey(key: AccessKeyRecord): Promise<void> {
    await this.write(() => {
      const existing = this.sql.get<{ accountId: string }>('SELECT "accountId" FROM "AccessKey" WHERE "accessKeyId" = ?', key.accessKeyId);
      if (existing && existing.accountId !== key.accountId) {
        throw new Error(
          `access key '${key.accessKeyId}' belongs to account ${existing.accountId} in this database, not ${key.accountId}; ` +
            "keep MINI_EC2_ACCOUNT_ID as it was, or choose another MINI_EC2_ACCESS_KEY_ID",
        );
      }
      const now = new Date();
      this.sql.run('INSERT INTO "Account" ("id", "createdAt") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING', key.accountId, now);
      this.sql.run(
        'INSERT INTO "AccessKey" ("accessKeyId", "secretAccessKey", "accountId", "createdAt") VALUES (?, ?, ?, ?) ON CONFLICT ("accessKeyId") DO UPDATE SET "secretAccessKey" = excluded."secretAccessKey"',
        key.accessKeyId,
        key.secretAccessKey,
        key.accountId,
        now,
      );
    });
  }

  async accountExists(accountId: string): Promise<boolean> {
    return this.sql.get('SELECT 1 FROM "Account" WHERE "id" = ?', accountId) !== undefined;
  }

  /** A new account and its first key, together or not at all. */
  async createAccountWithKey(key: AccessKeyRecord): Promise<void> {
    await this.write(() => {
      const now = new Date();
      this.sql.run('INSERT INTO "Account" ("id", "createdAt") VALUES (?, ?)', key.accountId, now);
      this.insertKey(key, now);
    });
  }

  async createAccessKey(key: AccessKeyRecord): Promise<void> {
    await this.write(() => this.insertKey(key, new Date()));
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return (await this.write(() => this.sql.run('DELETE FROM "AccessKey" WHERE "accessKeyId" = ?', accessKeyId))) > 0;
  }

  async listAccounts(): Promise<AccountSummary[]> {
    const accounts = this.sql.all<{ id: string; createdAt: string }>('SELECT "id", "createdAt" FROM "Account" ORDER BY "id"');
    const keys = this.sql.all<{ accessKeyId: string; accountId: string }>(
      'SELECT "accessKeyId", "accountId" FROM "AccessKey" ORDER BY "createdAt", "accessKeyId"',
    );
    return accounts.map((account) => ({
      accountId: account.id,
      createdAt: new Date(account.createdAt),
      accessKeyIds: keys.filter((key) => key.accountId === account.id).map((key) => key.accessKeyId),
    }));
  }

  private insertKey(key: AccessKeyRecord, now: Date): void {
    this.sql.run(
      'INSERT INTO "AccessKey" ("accessKeyId", "secretAccessKey", "accountId", "createdAt") VALUES (?, ?, ?, ?)',
      key.accessKeyId,
      key.secretAccessKey,
      key.accountId,
      now,
    );
  }

  /** A write on this connection: its own commits do not change data_version, so the key cache is emptied here. */
  private async write<T>(work: () => T): Promise<T> {
    try {
      return await this.sql.write(work);
    } finally {
      this.keys.clear();
    }
  }
}
