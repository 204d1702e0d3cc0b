// Accounts and their long-term access keys.
import type { PrismaClient } from "./generated/client.js";
import { ReadCache } from "./read-cache.js";
import type { Sql } from "./sql.js";

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface AccountSummary {
  accountId: string;
  createdAt: Date;
  accessKeyIds: string[];
}

export class AccountsRepo {
  constructor(
    private readonly prisma: PrismaClient,
    /** Every request looks its key up: on the synchronous connection when there is one. */
    private readonly sql?: Sql,
  ) {
    this.keys = sql ? new ReadCache(sql) : undefined;
  }

  /** Every signed request reads its key: cached on the synchronous connection (src/store/read-cache.ts). */
  private readonly keys: ReadCache<AccessKeyRecord> | undefined;

  async findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | null> {
    if (this.keys) {
      const sql = this.sql!;
      return this.keys.get(accessKeyId, () => sql.get<AccessKeyRecord>('SELECT "accessKeyId", "secretAccessKey", "accountId" FROM "AccessKey" WHERE "accessKeyId" = ?', accessKeyId)) ?? null;
    }
    return this.prisma.accessKey.findUnique({
      where: { accessKeyId },
      select: { accessKeyId: true, secretAccessKey: true, accountId: true },
    });
  }

  /**
   * Makes sure the account exists and the key belongs to it with this secret (the configured default key). A key
   * is never moved to another account: everything it made, and its session tokens, belong to its account.
   */
  async ensureKey(key: AccessKeyRecord): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const existing = await tx.accessKey.findUnique({ where: { accessKeyId: key.accessKeyId } });
      if (existing && existing.accountId !== key.accountId) {
        throw new Error(
          `access key '${key.accessKeyId}' belongs to account ${existing.accountId} in this database, not ${key.accountId}; ` +
            "keep MINI_EC2_ACCOUNT_ID as it was, or choose another MINI_EC2_ACCESS_KEY_ID",
        );
      }
      await tx.account.upsert({ where: { id: key.accountId }, create: { id: key.accountId }, update: {} });
      await tx.accessKey.upsert({ where: { accessKeyId: key.accessKeyId }, create: key, update: { secretAccessKey: key.secretAccessKey } });
    });
  }

  async accountExists(accountId: string): Promise<boolean> {
    return (await this.prisma.account.count({ where: { id: accountId } })) > 0;
  }

  /** A new account and its first key, together or not at all. */
  async createAccountWithKey(key: AccessKeyRecord): Promise<void> {
    await this.prisma.$transaction([this.prisma.account.create({ data: { id: key.accountId } }), this.prisma.accessKey.create({ data: key })]);
  }

  async createAccessKey(key: AccessKeyRecord): Promise<void> {
    await this.prisma.accessKey.create({ data: key });
  }

  async deleteAccessKey(accessKeyId: string): Promise<boolean> {
    return (await this.prisma.accessKey.deleteMany({ where: { accessKeyId } })).count > 0;
  }

  async listAccounts(): Promise<AccountSummary[]> {
    const accounts = await this.prisma.account.findMany({ include: { accessKeys: { select: { accessKeyId: true } } }, orderBy: { id: "asc" } });
    return accounts.map((a) => ({ accountId: a.id, createdAt: a.createdAt, accessKeyIds: a.accessKeys.map((k) => k.accessKeyId) }));
  }
}
