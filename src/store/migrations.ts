// Applies prisma/migrations/*/migration.sql at start, each in its own transaction, and records them in Prisma's
// own _prisma_migrations table, so `prisma migrate deploy` agrees wherever the native engine exists. The Prisma
// CLI cannot run migrations offline (docs/persistence.md).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

export const migrationsDir = new URL("../../prisma/migrations/", import.meta.url).pathname;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Returns the names of the migrations it applied. */
export function applyMigrations(db: BetterSqlite3.Database, migrations = readMigrations()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
  )`);
  const applied = new Map(
    (
      db.prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`).all() as {
        migration_name: string;
        checksum: string;
      }[]
    ).map((row) => [row.migration_name, row.checksum]),
  );
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)`,
  );
  const done: string[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) {
        throw new Error(`migration ${migration.name} was changed after it was applied to this database; add a new migration instead`);
      }
      continue;
    }
    db.transaction(() => {
      const startedAt = new Date().toISOString();
      db.exec(migration.sql);
      record.run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, startedAt);
    })();
    done.push(migration.name);
  }
  return done;
}
