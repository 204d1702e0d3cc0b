// The configured default key is made sure of at every start, but never moved to another account.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AccountsRepo } from "../../src/store/accounts-repo.js";
import { openStore } from "../../src/store/database.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-default-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the default access key", () => {
  it("follows a changed secret, but refuses to move to another account", async () => {
    const store = await openStore(`file:${join(dir, "keys.db")}`);
    try {
      const accounts = new AccountsRepo(store.sql);
      await accounts.ensureKey({ accessKeyId: "test", secretAccessKey: "test", accountId: "000000000000" });
      await accounts.ensureKey({ accessKeyId: "test", secretAccessKey: "changed", accountId: "000000000000" });
      expect(await accounts.findAccessKey("test")).toEqual({ accessKeyId: "test", secretAccessKey: "changed", accountId: "000000000000" });
      await expect(accounts.ensureKey({ accessKeyId: "test", secretAccessKey: "changed", accountId: "999999999999" })).rejects.toThrow(
        /access key 'test' belongs to account 000000000000 in this database, not 999999999999/,
      );
      expect((await accounts.findAccessKey("test"))!.accountId).toBe("000000000000");
      expect(await accounts.accountExists("999999999999")).toBe(false);
    } finally {
      await store.close();
    }
  });
});
