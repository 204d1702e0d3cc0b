// Creating accounts and access keys, for the admin command. Ids look like AWS's: 12-digit account ids, AKIA keys.
import { randomBytes, randomInt } from "node:crypto";
import type { AccessKeyRecord } from "../domain/caller.js";
import type { AccountsRepo } from "../store/accounts-repo.js";

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export class AccountAdmin {
  constructor(private readonly accounts: AccountsRepo) {}

  /** A new account with one access key. */
  async createAccount(accountId?: string): Promise<AccessKeyRecord> {
    const id = accountId ?? String(randomInt(100_000_000_000, 999_999_999_999));
    if (!/^\d{12}$/.test(id)) throw new Error(`an account id is 12 digits, got '${id}'`);
    if (await this.accounts.accountExists(id)) throw new Error(`account ${id} already exists`);
    const key = newAccessKey(id);
    await this.accounts.createAccountWithKey(key);
    return key;
  }

  async createAccessKey(accountId: string): Promise<AccessKeyRecord> {
    if (!(await this.accounts.accountExists(accountId))) throw new Error(`account ${accountId} does not exist`);
    const key = newAccessKey(accountId);
    await this.accounts.createAccessKey(key);
    return key;
  }
}

function newAccessKey(accountId: string): AccessKeyRecord {
  return {
    accessKeyId: `AKIA${[...randomBytes(16)].map((b) => keyAlphabet[b % 32]).join("")}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    accountId,
  };
}
