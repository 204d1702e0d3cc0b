// The synchronous connection's reads (src/store/sql.ts): a SELECT's rows reach their decoder through a SQL function
// that wraps the query as a subquery. What that wrapping must not change: the rows' order, their values (NULL,
// integers, text, blobs), the names a decoder sees (a join's repeated column too), and a failing read's error.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Sql } from "../../src/store/sql.js";

let dir: string;
let sql: Sql;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mini-ec2-sql-"));
  sql = new Sql(join(dir, "reads.db"));
  await sql.write(() => {
    sql.run('CREATE TABLE "Item" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "rank" INTEGER, "blob" BLOB)');
    sql.run('CREATE TABLE "Part" ("id" INTEGER PRIMARY KEY, "itemId" INTEGER NOT NULL, "name" TEXT NOT NULL)');
    sql.run('CREATE INDEX "Item_name" ON "Item" ("name")');
    // Inserted in an order that neither the key nor the names follow, so a lost ORDER BY shows.
    for (let i = 0; i < 200; i++) {
      const n = (i * 37) % 200;
      sql.run(
        'INSERT INTO "Item" ("id", "name", "rank", "blob") VALUES (?, ?, ?, ?)',
        n + 1,
        `item-${(n * 53) % 200}`,
        n % 3 === 0 ? null : n % 7,
        n === 5 ? Buffer.from([1, 2, 3]) : null,
      );
      sql.run('INSERT INTO "Part" ("itemId", "name") VALUES (?, ?)', n + 1, `part-of-${n + 1}`);
    }
  });
});

afterAll(() => {
  sql.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each row as its column names and values, in order, as a decoder compiled for the statement's columns sees it. */
const pairsOf = (columns: readonly string[]) => (values: unknown[]) => columns.map((name, i) => [name, values[i]]);

describe("reads on the synchronous connection", () => {
  it("keeps the query's ORDER BY, with a LIMIT or without, over an index or a sort", () => {
    const byName = sql.all<{ name: string }>('SELECT "name" FROM "Item" ORDER BY "name" DESC');
    expect(byName.map((row) => row.name)).toEqual(
      Array.from({ length: 200 }, (_, i) => `item-${i}`)
        .sort()
        .reverse(),
    );
    const ranked = sql.all<{ id: number; rank: number | null }>('SELECT "id", "rank" FROM "Item" WHERE "rank" IS NOT NULL ORDER BY "rank", "id" DESC LIMIT 25');
    expect(ranked).toHaveLength(25);
    const all = sql.all<{ id: number; rank: number | null }>('SELECT "id", "rank" FROM "Item"');
    const expected = all.filter((row) => row.rank !== null).sort((a, b) => a.rank! - b.rank! || b.id - a.id);
    expect(ranked).toEqual(expected.slice(0, 25));
  });

  it("hands each value as SQLite holds it: NULL, integer, text and blob", () => {
    const [row] = sql.all<{ id: number; name: string; rank: number | null; blob: Buffer | null }>('SELECT * FROM "Item" WHERE "id" = ?', 6);
    expect(row).toEqual({ id: 6, name: "item-65", rank: 5, blob: Buffer.from([1, 2, 3]) });
    const [nulls] = sql.all<{ rank: unknown; blob: unknown }>('SELECT "rank", "blob" FROM "Item" WHERE "id" = ?', 1);
    expect(nulls).toEqual({ rank: null, blob: null });
  });

  it("gives a join's repeated column name to the decoder twice, each with its own table's value", () => {
    const rows = sql.decoded(
      'SELECT i."id", i."name", p."name" FROM "Item" i JOIN "Part" p ON p."itemId" = i."id" WHERE i."id" IN (?, ?) ORDER BY i."id"',
      pairsOf,
      3,
      4,
    );
    expect(rows).toEqual([
      [
        ["id", 3],
        ["name", "item-106"],
        ["name", "part-of-3"],
      ],
      [
        ["id", 4],
        ["name", "item-159"],
        ["name", "part-of-4"],
      ],
    ]);
  });

  it("reads a query that ends in a comment, one with a WITH clause, and one of expressions", () => {
    expect(sql.all('SELECT "id" FROM "Item" WHERE "id" = ? -- the first item', 1)).toEqual([{ id: 1 }]);
    expect(sql.all('WITH "Top" AS (SELECT "id" FROM "Item" ORDER BY "id" LIMIT 2) SELECT "id" FROM "Top" ORDER BY "id" DESC')).toEqual([{ id: 2 }, { id: 1 }]);
    expect(sql.all('SELECT count(*), max("id") FROM "Item"')).toEqual([{ "count(*)": 200, 'max("id")': 200 }]);
  });

  it("lets a decoder's error out of the read, and reads again after it", () => {
    const failing = () => () => {
      throw new Error("undecodable");
    };
    expect(() => sql.decoded('SELECT "id" FROM "Item" WHERE "id" < ?', failing, 3)).toThrow("undecodable");
    expect(sql.all('SELECT "id" FROM "Item" WHERE "id" < ? ORDER BY "id"', 3)).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
