// prisma/schema.prisma is the source of truth and the SQL migrations are written by hand (the Prisma CLI cannot
// generate or run them offline). This proves the two agree: migrate an empty database, then compare every model,
// field, type, nullability, key, unique constraint and index of the schema with what SQLite reports.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import internals from "@prisma/internals";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "../../src/store/migrations.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-drift-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sqliteType: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
  Float: "REAL",
  Decimal: "DECIMAL",
  Json: "JSONB",
  Bytes: "BLOB",
};

interface Shape {
  columns: Record<string, { type: string; notNull: boolean }>;
  primaryKey: string[];
  unique: string[][];
  indexes: string[][];
  foreignKeys: string[];
}

async function schemaShape(): Promise<Record<string, Shape>> {
  const dmmf = await internals.getDMMF({ datamodel: readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8") });
  const shapes: Record<string, Shape> = {};
  for (const model of dmmf.datamodel.models) {
    const columns: Shape["columns"] = {};
    const foreignKeys: string[] = [];
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) foreignKeys.push(`${field.relationFromFields.join(",")}->${field.type}(${field.relationToFields!.join(",")})`);
        continue;
      }
      columns[field.dbName ?? field.name] = { type: sqliteType[field.type]!, notNull: field.isRequired };
    }
    const indexes = dmmf.datamodel.indexes.filter((index) => index.model === model.name);
    shapes[model.dbName ?? model.name] = {
      columns,
      primaryKey: indexes.find((i) => i.type === "id")!.fields.map((f) => f.name),
      unique: indexes
        .filter((i) => i.type === "unique")
        .map((i) => i.fields.map((f) => f.name))
        .sort(),
      indexes: indexes
        .filter((i) => i.type === "normal")
        .map((i) => i.fields.map((f) => f.name))
        .sort(),
      foreignKeys: foreignKeys.sort(),
    };
  }
  return shapes;
}

function databaseShape(db: Database.Database): Record<string, Shape> {
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations'").all() as { name: string }[]
  ).map((t) => t.name);
  const shapes: Record<string, Shape> = {};
  for (const table of tables) {
    const info = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    const indexList = db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[];
    const indexColumns = (name: string) => (db.prepare(`PRAGMA index_info("${name}")`).all() as { name: string }[]).map((c) => c.name);
    const foreignKeys = db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string; to: string }[];
    shapes[table] = {
      // SQLite leaves a PRIMARY KEY column's NOT NULL implicit; Prisma's SQL states it, which is what we compare.
      columns: Object.fromEntries(info.map((c) => [c.name, { type: c.type, notNull: c.notnull === 1 || c.pk > 0 }])),
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      unique: indexList
        .filter((i) => i.unique && i.origin === "c")
        .map((i) => indexColumns(i.name))
        .sort(),
      indexes: indexList
        .filter((i) => !i.unique && i.origin === "c")
        .map((i) => indexColumns(i.name))
        .sort(),
      foreignKeys: foreignKeys.map((fk) => `${fk.from}->${fk.table}(${fk.to})`).sort(),
    };
  }
  return shapes;
}

describe("schema.prisma and prisma/migrations", () => {
  it("describe the same tables, columns, keys and indexes", async () => {
    const db = new Database(join(dir, "drift.db"));
    try {
      applyMigrations(db);
      expect(databaseShape(db)).toEqual(await schemaShape());
    } finally {
      db.close();
    }
  });

  it("apply once: a second start applies nothing, and an edited applied migration stops the start", () => {
    const db = new Database(join(dir, "twice.db"));
    try {
      expect(applyMigrations(db).length).toBe(readMigrations().length);
      expect(applyMigrations(db)).toEqual([]);
      const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      expect(() => applyMigrations(db, edited)).toThrow(/was changed after it was applied/);
    } finally {
      db.close();
    }
  });
});
