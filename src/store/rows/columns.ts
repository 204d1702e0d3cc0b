// SQLite has no date or boolean type: Prisma stores DateTime as ISO text with an offset and Boolean as 0 or 1, and
// its client converts them back. The synchronous connection (src/store/sql.ts) writes the same formats and reads
// them raw, so each table's codec names those columns once, here, and the compiler checks the names against the
// row type Prisma generates from prisma/schema.prisma: a column added, renamed or retyped there fails to compile
// until its codec follows (test/store/row-codecs.test.ts checks the same against the schema itself).

/** The columns of `Row` whose values are of type T (or T or null). */
type ColumnsOf<Row, T> = { [K in keyof Row]-?: NonNullable<Row[K]> extends T ? K : never }[keyof Row] & string;

export interface ColumnTypes<Row> {
  dates: Record<ColumnsOf<Row, Date>, true>;
  booleans: Record<ColumnsOf<Row, boolean>, true>;
}

export class SqliteColumns<Row> {
  readonly dates: readonly string[];
  readonly booleans: readonly string[];

  constructor(
    /** The table, as Prisma names it. */
    readonly table: string,
    types: ColumnTypes<Row>,
  ) {
    this.dates = Object.keys(types.dates);
    this.booleans = Object.keys(types.booleans);
  }

  /**
   * A row read on the synchronous connection as Prisma's client would return it: dates as Date, booleans as
   * boolean. Converted in place (rows from Sql are new objects, their caller's own); the columns a query left out
   * stay out.
   */
  fromSqlite(raw: Record<string, unknown>): Row {
    for (const column of this.dates) if (typeof raw[column] === "string") raw[column] = new Date(epochOf(raw[column] as string));
    for (const column of this.booleans) if (raw[column] !== null && raw[column] !== undefined) raw[column] = raw[column] === 1;
    return raw as Row;
  }

  /**
   * Rows of a statement's columns decoded from their values in one object literal, compiled once per statement
   * (Sql.decoded): what fromSqlite does, without the row object before it, and every row of one shape. NULL reads
   * as undefined.
   */
  decoder(columns: readonly string[]): (values: unknown[]) => Row {
    const fields = columns.map((column, index) => `${JSON.stringify(column)}: ${this.valueExpression(column, `values[${index}]`)}`);
    return new Function("epochOf", `return (values) => ({ ${fields.join(", ")} });`)(epochOf) as (values: unknown[]) => Row;
  }

  /** The code of one column's value decoded from `value` (an expression over the raw values), for compiled decoders. */
  valueExpression(column: string, value: string): string {
    if (this.dates.includes(column)) return `${value} === null ? undefined : new Date(epochOf(${value}))`;
    if (this.booleans.includes(column)) return `${value} === null ? undefined : ${value} === 1`;
    return `${value} ?? undefined`;
  }
}

let lastText = "";
let lastEpoch = 0;

/**
 * The moment of an ISO 8601 text, remembering the last one: a row's dates, and a page's rows launched together,
 * mostly repeat one moment, and parsing the text costs many times building a Date from a number.
 */
export function epochOf(text: string): number {
  if (text !== lastText) {
    lastEpoch = Date.parse(text);
    lastText = text;
  }
  return lastEpoch;
}
