// Opens the SQLite database: migrations first (through better-sqlite3, which runs multi-statement SQL), then the
// Prisma client through its better-sqlite3 driver adapter (no native Prisma engine). WAL journal, a busy timeout,
// and foreign keys on. synchronous=NORMAL in WAL mode loses nothing when the process dies; only a power cut can
// drop the last commits.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { startCheckpointer } from "./checkpointer.js";
import { PrismaClient } from "./generated/client.js";
import { applyMigrations } from "./migrations.js";
import { Sql } from "./sql.js";

const busyTimeoutMs = 5000;

export interface Store {
  prisma: PrismaClient;
  /** The synchronous connection of the hot paths (src/store/sql.ts). */
  sql: Sql;
  filePath: string;
  appliedMigrations: string[];
  close(): Promise<void>;
}

export function databasePath(databaseUrl: string): string {
  return resolve(databaseUrl.replace(/^file:/, ""));
}

export async function openStore(databaseUrl: string): Promise<Store> {
  const filePath = databasePath(databaseUrl);
  mkdirSync(dirname(filePath), { recursive: true });

  const direct = new Database(filePath, { timeout: busyTimeoutMs });
  let appliedMigrations: string[];
  try {
    direct.pragma("journal_mode = WAL");
    appliedMigrations = applyMigrations(direct);
  } finally {
    direct.close();
  }

  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: filePath, timeout: busyTimeoutMs }) });
  await prisma.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  const sql = new Sql(filePath);
  // Checkpoints run in a worker (src/store/checkpointer.ts), not inside the commits of the two connections.
  const autocheckpoint = async (pages: number) => {
    sql.pragma(`wal_autocheckpoint = ${pages}`);
    await prisma.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${pages}`);
  };
  await autocheckpoint(0);
  const checkpointer = startCheckpointer(filePath, (error) => {
    process.stderr.write(`mini-ec2: the checkpoint worker failed (${error.message}); SQLite checkpoints in the commits again\n`);
    void autocheckpoint(1000);
  });
  return {
    prisma,
    sql,
    filePath,
    appliedMigrations,
    async close() {
      sql.close();
      await prisma.$disconnect();
      await checkpointer.stop();
    },
  };
}
