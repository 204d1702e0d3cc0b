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
    lastEpoch = storedEpochOf(text);
    lastText = text;
  }
  return lastEpoch;
}

/**
 * The moment of a date as both connections store it, `2026-11-30T03:54:39.349+00:00` (or with `Z`), worked out by
 * arithmetic; any other text by Date.parse, which costs about three times as much (a page of instances and their
 * interfaces and volumes holds some seven hundred dates).
 */
function storedEpochOf(text: string): number {
  const utc = text.length === 29 ? text.endsWith("+00:00") : text.length === 24 && text.endsWith("Z");
  if (!utc || text.charCodeAt(4) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(19) !== 46) return Date.parse(text);
  // Digits at fixed places: YYYY-MM-DDTHH:MM:SS.mmm
  const year = number(text, 0, 4);
  const month = number(text, 5, 2);
  const day = number(text, 8, 2);
  const time = number(text, 11, 2) * 3_600_000 + number(text, 14, 2) * 60_000 + number(text, 17, 2) * 1000 + number(text, 20, 3);
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && time >= 0 && time < 86_400_000)) return Date.parse(text);
  return daysFromCivil(year, month, day) * 86_400_000 + time;
}

/** The decimal number written by `length` digits from `at`, or NaN if one of them is not a digit. */
function number(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
