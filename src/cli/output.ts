// Prints a response as the AWS CLI does. First the SDK's object is made to look like botocore's parsed response
// (keys in the model's order, timestamps as Python's isoformat, blobs in base64, nothing undefined); then
// --query (JMESPath) picks from it, and a formatter prints it.
import jmespath from "jmespath";
import { createRequire } from "node:module";
import type { OutputFormat } from "./argv.js";
import { CliFailure } from "./errors.js";
import { type CliModel, type Shape, shapeOf } from "./model.js";
import { formatTable } from "./table.js";

/** The YAML library, loaded on first use: loading it took a quarter of every CLI start, and few commands print YAML. */
let yaml: typeof import("yaml") | undefined;
const toYaml = (value: unknown, options: import("yaml").ToStringOptions) =>
  (yaml ??= createRequire(import.meta.url)("yaml") as typeof import("yaml")).stringify(value, options);

/**
 * A double or float of the model that holds a whole number: Python prints it as 10.0 where JavaScript prints 10,
 * so it travels marked until a formatter prints it (a --query sees a plain number).
 */
export class WholeFloat {
  constructor(readonly value: number) {}
}

export function normalize(model: CliModel, shape: Shape | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && (shape?.type === "double" || shape?.type === "float") && Number.isInteger(value)) return new WholeFloat(value);
  if (value instanceof Date) return isoformat(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) {
    const member = shape?.type === "list" ? shapeOf(model, shape.member!) : undefined;
    return value.map((item) => normalize(model, member, item));
  }
  if (typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const members = shape?.type === "structure" ? (shape.members ?? {}) : {};
  const valueShape = shape?.type === "map" ? shapeOf(model, shape.value!) : undefined;
  // The model's member order first (botocore builds its dicts in that order), then anything it does not know.
  for (const key of [...Object.keys(members).filter((key) => key in record), ...Object.keys(record).filter((key) => !(key in members))]) {
    const ref = members[key];
    const normalized = normalize(model, ref ? shapeOf(model, ref) : valueShape, record[key]);
    if (normalized !== undefined) result[key] = normalized;
  }
  return result;
}

// Python's datetime.isoformat() of an aware UTC time: 2026-11-22T10:00:00+00:00, microseconds only when nonzero.
export function isoformat(date: Date): string {
  const iso = date.toISOString();
  const milliseconds = date.getUTCMilliseconds();
  return `${iso.slice(0, 19)}${milliseconds ? `.${String(milliseconds).padStart(3, "0")}000` : ""}+00:00`;
}

export function applyQuery(data: unknown, query: string | undefined): unknown {
  if (query === undefined) return data;
  try {
    return jmespath.search(unmarkFloats(data) as any, query);
  } catch (error) {
    throw new CliFailure(`Bad value for --query ${query}: ${(error as Error).message}`, 252);
  }
}

function unmarkFloats(data: unknown): unknown {
  if (data instanceof WholeFloat) return data.value;
  if (Array.isArray(data)) return data.map(unmarkFloats);
  if (data !== null && typeof data === "object") return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, unmarkFloats(value)]));
  return data;
}

// Python's json.dumps(indent=4): JSON.stringify's layout, with whole floats as 10.0.
function toJson(data: unknown): string {
  const marker = "\u0000float:";
  const text = JSON.stringify(data, (_key, value) => (value instanceof WholeFloat ? `${marker}${value.value}` : value), 4);
  return text.replace(/"\\u0000float:(-?\d+)"/g, "$1.0");
}

export function formatOutput(format: OutputFormat, commandName: string, data: unknown): string {
  switch (format) {
    case "json":
      // The AWS CLI prints nothing for an empty response ({}), but does print null and [] from a query.
      return isEmptyObject(data) ? "" : `${toJson(data)}\n`;
    case "yaml":
    case "yaml-stream":
      return isEmptyObject(data) ? "" : toYaml(unmarkFloats(data), { lineWidth: 0 });
    case "text":
      return formatText(data);
    case "table":
      return formatTable(commandName, data);
  }
}

function isEmptyObject(data: unknown): boolean {
  return data !== null && typeof data === "object" && !Array.isArray(data) && Object.keys(data).length === 0;
}

// awscli/text.py: scalars of a dict on one tab-separated line (keys sorted), each nested value under an
// upper-cased identifier line; a list of dicts shares one set of columns.
export function formatText(data: unknown): string {
  const lines: string[] = [];
  writeText(data, lines, undefined, undefined);
  return lines.map((line) => `${line}\n`).join("");
}

type Json = unknown;
const isContainer = (value: Json) => value !== null && typeof value === "object" && !(value instanceof WholeFloat);

function writeText(item: Json, lines: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  if (Array.isArray(item)) return writeList(item, lines, identifier);
  if (isContainer(item)) return writeDict(item as Record<string, Json>, lines, identifier, scalarKeys);
  lines.push(pythonString(item));
}

function writeList(items: Json[], lines: string[], identifier: string | undefined): void {
  if (items.length === 0) return;
  if (items.some((item) => isContainer(item) && !Array.isArray(item))) {
    const keys = [
      ...new Set(
        items.flatMap((item) =>
          isContainer(item) && !Array.isArray(item)
            ? Object.entries(item as object)
                .filter(([, value]) => !isContainer(value))
                .map(([key]) => key)
            : [],
        ),
      ),
    ].sort();
    for (const item of items) writeText(item, lines, identifier, keys);
  } else if (items.some(Array.isArray)) {
    const scalars = items.filter((item) => !isContainer(item));
    if (scalars.length > 0) writeScalarList(scalars, lines, identifier);
    for (const item of items.filter(isContainer)) writeText(item, lines, identifier, undefined);
  } else {
    writeScalarList(items, lines, identifier);
  }
}

function writeScalarList(items: Json[], lines: string[], identifier: string | undefined): void {
  if (identifier !== undefined) for (const item of items) lines.push(`${identifier.toUpperCase()}\t${pythonString(item)}`);
  else lines.push(items.map(pythonString).join("\t"));
}

function writeDict(item: Record<string, Json>, lines: string[], identifier: string | undefined, scalarKeys: string[] | undefined): void {
  const scalars: string[] = [];
  const nested: Array<[string, Json]> = [];
  if (scalarKeys === undefined) {
    for (const key of Object.keys(item).sort()) {
      if (isContainer(item[key])) nested.push([key, item[key]]);
      else scalars.push(pythonString(item[key]));
    }
  } else {
    for (const key of scalarKeys) scalars.push(key in item ? pythonString(item[key]) : "");
    for (const key of Object.keys(item)
      .filter((key) => !scalarKeys.includes(key))
      .sort())
      nested.push([key, item[key]]);
  }
  if (scalars.length > 0) lines.push((identifier !== undefined ? [identifier.toUpperCase(), ...scalars] : scalars).join("\t"));
  for (const [key, value] of nested) writeText(value, lines, key, undefined);
}

/** str() of a JSON value as Python prints it: True, False, None. */
export function pythonString(value: Json): string {
  if (value === true) return "True";
  if (value === false) return "False";
  if (value === null || value === undefined) return "None";
  if (value instanceof WholeFloat) return `${value.value}.0`;
  return String(value);
}
