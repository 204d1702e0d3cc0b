// mini-ec2's admin command: manages accounts and access keys in the database directly (the server may be running;
// SQLite's WAL lets both write). Usage: npm run admin -- <command> [options]
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.js";
import { AccountAdmin } from "../services/account-admin.js";
import { AccountsRepo } from "../store/accounts-repo.js";
import { openStore } from "../store/database.js";

const usage = `usage: npm run admin -- <command> [options]

commands:
  create-account [--account-id 123456789012]   a new account and its first access key
  create-access-key --account-id 123456789012  another access key for an account
  delete-access-key --access-key-id AKIA...    revoke a key (its session tokens stop working too)
  list-accounts                                 accounts and their access key ids

The database is DATABASE_URL (default file:./data/mini-ec2.db).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "account-id": { type: "string" }, "access-key-id": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 2;
  }
  const store = await openStore(loadConfig().databaseUrl);
  try {
    const accounts = new AccountsRepo(store.sql);
    const admin = new AccountAdmin(accounts);
    switch (command) {
      case "create-account":
        print(await admin.createAccount(values["account-id"]));
        return 0;
      case "create-access-key":
        if (!values["account-id"]) throw new UsageError("create-access-key needs --account-id");
        print(await admin.createAccessKey(values["account-id"]));
        return 0;
      case "delete-access-key":
        if (!values["access-key-id"]) throw new UsageError("delete-access-key needs --access-key-id");
        if (!(await accounts.deleteAccessKey(values["access-key-id"]))) throw new Error(`no access key ${values["access-key-id"]}`);
        print({ deleted: values["access-key-id"] });
        return 0;
      case "list-accounts":
        print(await accounts.listAccounts());
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } finally {
    await store.close();
  }
}

class UsageError extends Error {}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mini-ec2 admin: ${message}\n${error instanceof UsageError ? `\n${usage}\n` : ""}`);
    process.exit(error instanceof UsageError || error instanceof ConfigError ? 2 : 1);
  },
);
