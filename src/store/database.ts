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
import { barWriteInDryRun } from "./write-barrier.js";

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

  // Prisma's connection is set up by the driver adapter's own executeScript when Prisma first connects, not by a
  // query: the first Prisma query compiles Prisma's query engine (WebAssembly, about 80 MB and most of a second of
  // CPU), and a start that needs no Prisma query (src/server.ts) then listens without paying for it.
  let prismaAutocheckpoint = 0;
  const adapter = new PrismaBetterSqlite3({ url: filePath, timeout: busyTimeoutMs });
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const connection = await connect();
    await connection.executeScript(`PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = ${prismaAutocheckpoint};`);
    barWritesOf(connection);
    const startTransaction = connection.startTransaction.bind(connection);
    connection.startTransaction = async (isolationLevel) => barWritesOf(await startTransaction(isolationLevel));
    return connection;
  };
  const prisma = new PrismaClient({ adapter });
  const sql = new Sql(filePath);
  // Checkpoints run in a worker (src/store/checkpointer.ts), not inside the commits of the two connections.
  sql.pragma("wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(filePath, (error) => {
    process.stderr.write(`mini-ec2: the checkpoint worker failed (${error.message}); SQLite checkpoints in the commits again\n`);
    sql.pragma("wal_autocheckpoint = 1000");
    prismaAutocheckpoint = 1000;
    void prisma.$executeRawUnsafe("PRAGMA wal_autocheckpoint = 1000").catch(() => undefined);
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

type PrismaConnection = Awaited<ReturnType<PrismaBetterSqlite3["connect"]>>;

/** A dry run's writes stop here on Prisma's side (src/store/write-barrier.ts), in and out of transactions. */
function barWritesOf<Queryable extends Pick<PrismaConnection, "queryRaw" | "executeRaw">>(queryable: Queryable): Queryable {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    barWriteInDryRun(query.sql);
    return queryRaw(query);
  };
  queryable.executeRaw = async (query) => {
    barWriteInDryRun(query.sql);
    return executeRaw(query);
  };
  return queryable;
}
