// Accounts and their long-term access keys.
import type { PrismaClient } from "./generated/client.js";

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
  constructor(private readonly prisma: PrismaClient) {}

  findAccessKey(accessKeyId: string): Promise<AccessKeyRecord | null> {
    return this.prisma.accessKey.findUnique({
      where: { accessKeyId },
      select: { accessKeyId: true, secretAccessKey: true, accountId: true },
    });
  }

  /** Makes sure the account exists and the key belongs to it with this secret (the configured default key). */
  async ensureKey(key: AccessKeyRecord): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.account.upsert({ where: { id: key.accountId }, create: { id: key.accountId }, update: {} }),
      this.prisma.accessKey.upsert({
        where: { accessKeyId: key.accessKeyId },
        create: key,
        update: { secretAccessKey: key.secretAccessKey, accountId: key.accountId },
      }),
    ]);
  }

  async accountExists(accountId: string): Promise<boolean> {
    return (await this.prisma.account.count({ where: { id: accountId } })) > 0;
  }

  async createAccount(accountId: string): Promise<void> {
    await this.prisma.account.create({ data: { id: accountId } });
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
