// A second, synchronous connection to the same SQLite file, for the hot paths (RunInstances, DescribeInstances,
// the lifecycle): Prisma's client costs about a millisecond a query, better-sqlite3 a few microseconds. Both
// connections see the same WAL database; the rows keep Prisma's formats (dates as ISO text, booleans as 0/1) so
// that either side reads what the other wrote: toSql below writes them, each table's codec (src/store/rows/)
// reads them back.
//
// A write transaction here runs start to end synchronously, so it never holds the lock across an await. When a
// Prisma transaction holds it, BEGIN IMMEDIATE fails at once (busy timeout 0) and the write is retried after a
// short pause, instead of blocking the event loop that Prisma's transaction needs to finish.
import Database from "better-sqlite3";
import { barWriteInDryRun } from "./write-barrier.js";

type Row = Record<string, unknown>;

export class Sql {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared reading statements, by decoder and text, each with its decoder compiled for its columns. */
  private readonly readers = new Map<(columns: readonly string[]) => unknown, Map<string, Reader>>();
  /** Where the row function puts the rows of the statement running now (statements run synchronously, one at a time). */
  private sink: { rows: unknown[]; decode: (values: unknown[]) => unknown } | undefined;

  constructor(filePath: string) {
    this.db = new Database(filePath, { timeout: 0 });
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("synchronous = NORMAL");
    this.db.function(rowFunction, { varargs: true, deterministic: false }, (...values: unknown[]) => {
      const sink = this.sink!;
      sink.rows.push(sink.decode(values));
      return null;
    });
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Rows made into objects here: better-sqlite3's own row objects are several times slower to build and to read
   * when a page holds a hundred rows of forty columns.
   */
  all<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.decoded(sql, rowBuilder, ...params) as T[];
  }

  /**
   * Rows decoded straight from their column values by a decoder compiled once per statement and decoder from the
   * statement's columns: for the hot tables, whose codec builds the domain object in one step instead of a row
   * object and then a copy of it. `decoderFor` is a codec's own function, never one made per call: it keys the cache.
   */
  decoded<T>(sql: string, decoderFor: (columns: readonly string[]) => (values: unknown[]) => T, ...params: unknown[]): T[] {
    let readers = this.readers.get(decoderFor);
    if (!readers) {
      readers = new Map();
      this.readers.set(decoderFor, readers);
    }
    let reader = readers.get(sql);
    if (!reader) {
      reader = this.reader(sql, decoderFor);
      readers.set(sql, reader);
    }
    const { statement, decode } = reader;
    if (!reader.throughRowFunction) return (statement.all(...params.map(toSql)) as unknown[][]).map(decode as (values: unknown[]) => T);
    const rows: T[] = [];
    this.sink = { rows, decode };
    try {
      statement.all(...params.map(toSql));
    } finally {
      this.sink = undefined;
    }
    return rows;
  }

  /**
   * A query's rows come through a SQL function (rowFunction) that receives each row's values as its arguments:
   * better-sqlite3 on Node 20 builds a raw row by setting its elements one by one through V8's API, which cost more
   * than SQLite's own work on a page of a hundred rows of forty columns; the arguments of a function call arrive as
   * one list, at a third of the cost. The query runs as a subquery, whose columns SQLite names uniquely (a second
   * `volumeId` is `volumeId:1`); the decoder keeps the query's own names. SQLite runs such a subquery as a
   * co-routine and keeps its ORDER BY: it drops a subquery's ORDER BY only under an outer ORDER BY or join, and
   * this wrapper has neither (test/store/sql.test.ts checks the order). Statements other than SELECT read raw.
   */
  private reader(sql: string, decoderFor: (columns: readonly string[]) => (values: unknown[]) => unknown): Reader {
    const statement = this.db.prepare(sql);
    const decode = decoderFor(statement.columns().map((column) => column.name));
    if (!/^\s*(SELECT|WITH)\b/i.test(sql)) return { statement: statement.raw(true), decode, throughRowFunction: false };
    // The newline ends a trailing -- comment of the query before the subquery's closing parenthesis.
    const unique = this.db.prepare(`SELECT * FROM (${sql}\n)`).columns();
    const args = unique.map((column) => `"${column.name.replaceAll('"', '""')}"`).join(", ");
    return { statement: this.db.prepare(`SELECT ${rowFunction}(${args}) FROM (${sql}\n)`).pluck(), decode, throughRowFunction: true };
  }

  get<T = Row>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params.map(toSql)) as T | undefined;
  }

  run(sql: string, ...params: unknown[]): number {
    barWriteInDryRun(sql);
    return this.statement(sql).run(...params.map(toSql)).changes;
  }

  /** INSERT of one row, its columns named by the object's keys. */
  insert(table: string, row: Row): void {
    const columns = Object.keys(row);
    this.run(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      ...columns.map((c) => row[c]),
    );
  }

  /** Runs `work` as one write transaction, retrying while another connection holds the write lock. */
  async write<T>(work: () => T): Promise<T> {
    const transaction = this.db.transaction(work);
    for (let attempt = 0; ; attempt++) {
      try {
        return transaction.immediate();
      } catch (error) {
        if ((error as { code?: string }).code !== "SQLITE_BUSY" || attempt >= 2000) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 20)));
      }
    }
  }

  /** Changes whenever another connection commits (SQLite's PRAGMA data_version); never for this one's own. */
  dataVersion(): number {
    this.dataVersionStatement ??= this.db.prepare("PRAGMA data_version").pluck();
    return this.dataVersionStatement.get() as number;
  }

  private dataVersionStatement: Database.Statement | undefined;

  pragma(statement: string): void {
    this.db.pragma(statement);
  }

  close(): void {
    this.db.close();
  }
}

/** The SQL function each row of a read passes through on its way to its decoder (Sql.reader). */
const rowFunction = "mini_ec2_row";

interface Reader {
  statement: Database.Statement;
  decode: (values: unknown[]) => unknown;
  /** Whether the rows arrive through rowFunction, or as raw arrays from the statement itself. */
  throughRowFunction: boolean;
}

/**
 * A statement's row as an object literal compiled once for its columns: V8 builds a literal from one template,
 * where setting forty keys one by one walked forty shape transitions a row (most of the cost of reading a page).
 * The names are the statement's own columns, written as JSON string literals.
 */
function rowBuilder(columns: readonly string[]): (values: unknown[]) => Row {
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(", ");
  return new Function("values", `return { ${fields} };`) as (values: unknown[]) => Row;
}

/** Prisma's SQLite formats: DateTime as ISO 8601 text with an explicit offset, Boolean as 0 or 1. */
function toSql(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

/** `?, ?, ?` for an IN list; a page's lists are mostly of one length, remembered. */
export function placeholders(count: number): string {
  let list = placeholderLists[count];
  if (list === undefined) {
    list = Array.from({ length: count }, () => "?").join(", ");
    if (count <= 1000) placeholderLists[count] = list;
  }
  return list;
}

const placeholderLists: string[] = [];
