// Renders an operation's output (member names as in the model and the AWS SDK) as the XML its protocol sends:
// EC2's <ActionResponse><requestId/>…</ActionResponse>, or awsQuery's <ActionResponse><ActionResult>… with
// <ResponseMetadata>. Element names, list items and value formats all come from the service model.
//
// Each shape's writer is compiled once from the model into a plain function (property reads and tag literals, no
// walk of the model per value): a page of 100 instances is ~380 KB of XML and thousands of elements, and walking
// the model for each of them cost a third of DescribeInstances' server time. The text goes into one list of parts
// joined once: nested string concatenation cost a millisecond to flatten. A response whose values are all ASCII
// (most are) is encoded as Latin-1, byte for byte the same as UTF-8 there and several times faster to encode.
import { type ServiceModel, type Shape, shapeOf } from "./service-model.js";

export function serializeOutput(model: ServiceModel, action: string, output: unknown, requestId: string): Buffer {
  allAscii = true;
  const operation = model.operations[action]!;
  const outputShape = operation.output ? shapeOf(model, operation.output) : undefined;
  const out: string[] = [`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${escapeXml(model.xmlNamespace)}">`];
  const members = () => outputShape && writerOf(model, outputShape)((output ?? {}) as Record<string, unknown>, out);
  if (model.protocol === "ec2") {
    out.push(`<requestId>${requestId}</requestId>`);
    members();
  } else {
    const wrapper = operation.output?.resultWrapper ?? `${action}Result`;
    out.push(`<${wrapper}>`);
    members();
    out.push(`</${wrapper}>`, `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`);
  }
  out.push(`</${action}Response>`);
  return Buffer.from(out.join(""), allAscii ? "latin1" : "utf8");
}

/** Whether every value written since serializeOutput began was ASCII (it runs start to end synchronously). */
let allAscii = true;

/** Appends one value of a shape, as the content of its element, to the parts. */
type Writer = (value: unknown, out: string[]) => void;

const writers = new WeakMap<Shape, Writer>();

/** The shape's compiled writer; a shape that contains itself (directly or not) calls its writer through the cache. */
function writerOf(model: ServiceModel, shape: Shape): Writer {
  let writer = writers.get(shape);
  if (!writer) {
    let compiled: Writer | undefined;
    writers.set(shape, (value, out) => compiled!(value, out));
    compiled = compile(model, shape);
    writers.set(shape, compiled);
    writer = compiled;
  }
  return writer;
}

/** The helpers a compiled writer calls, passed in rather than found in scope (new Function sees only globals). */
const helpers = { text: (value: unknown) => (typeof value === "number" ? String(value) : valueText(String(value))), timestamp, blob };

/** Markup, what XML cannot carry, or anything past ASCII: most values have none and are written as they are. */
const specialOrNonAscii = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\uFFFF]/;

function valueText(text: string): string {
  if (!specialOrNonAscii.test(text)) return text;
  if (/[^\u0000-\u007F]/.test(text)) allAscii = false;
  return xmlEscaped(text);
}

function compile(model: ServiceModel, shape: Shape): Writer {
  const nested: Writer[] = [];
  const body = shape.type === "structure" ? structureCode(model, shape, nested) : valueCode(model, shape, "value", nested);
  return new Function("nested", "helpers", `return function write(value, out) { ${body} };`)(nested, helpers) as Writer;
}

/** Each member present (neither undefined nor null) as its element, in the model's order. */
function structureCode(model: ServiceModel, shape: Shape, nested: Writer[]): string {
  return Object.entries(shape.members ?? {})
    .map(([name, ref], index) => {
      const tag = ref.locationName ?? name;
      const variable = `m${index}`;
      const open = JSON.stringify(`<${tag}>`);
      const close = JSON.stringify(`</${tag}>`);
      const memberShape = shapeOf(model, ref);
      const content = scalarExpression(memberShape, variable);
      const write = content
        ? `out.push(${open} + ${content} + ${close});`
        : `out.push(${open}); ${valueCode(model, memberShape, variable, nested)} out.push(${close});`;
      return `const ${variable} = value[${JSON.stringify(name)}]; if (${variable} !== undefined && ${variable} !== null) { ${write} }`;
    })
    .join("\n");
}

/** The statements that write a non-scalar value held in `variable`: a nested structure, or a list's items. */
function valueCode(model: ServiceModel, shape: Shape, variable: string, nested: Writer[]): string {
  const scalar = scalarExpression(shape, variable);
  if (scalar) return `out.push(${scalar});`;
  if (shape.type === "list") {
    // An empty list is an empty element, as EC2 sends it (<groupSet/>).
    const item = shape.member!.locationName ?? "member";
    const itemShape = shapeOf(model, shape.member!);
    const itemScalar = scalarExpression(itemShape, "item");
    const open = JSON.stringify(`<${item}>`);
    const close = JSON.stringify(`</${item}>`);
    const writeItem = itemScalar
      ? `out.push(${open} + ${itemScalar} + ${close});`
      : `out.push(${open}); ${callNested(model, itemShape, "item", nested)} out.push(${close});`;
    return `for (const item of ${variable}) { ${writeItem} }`;
  }
  return callNested(model, shape, variable, nested);
}

function callNested(model: ServiceModel, shape: Shape, variable: string, nested: Writer[]): string {
  nested.push(writerOf(model, shape));
  return `nested[${nested.length - 1}](${variable}, out);`;
}

/** The expression for a scalar's text, or undefined for a structure or a list (maps are written as text, as before). */
function scalarExpression(shape: Shape, variable: string): string | undefined {
  switch (shape.type) {
    case "structure":
    case "list":
      return undefined;
    case "timestamp":
      return `helpers.timestamp(${variable})`;
    case "blob":
      return `helpers.blob(${variable})`;
    case "boolean":
      return `(${variable} ? "true" : "false")`;
    default:
      return `helpers.text(${variable})`;
  }
}

let lastEpoch = Number.NaN;
let lastIso = "";

/** ISO 8601 in UTC, remembering the last: an instance's launch, volume and interface times are mostly one moment. */
function timestamp(value: unknown): string {
  const date = value instanceof Date ? value : new Date(value as string);
  const epoch = date.getTime();
  if (epoch !== lastEpoch) {
    lastIso = isoString(date, epoch);
    lastEpoch = epoch;
  }
  return lastIso;
}

const dayMs = 86_400_000;
/** Years 0000 to 9999: toISOString's own form; outside them it writes six-digit years, left to it. */
const fourDigitYears = { from: -62_167_219_200_000, to: 253_402_300_800_000 };
let cachedDay = Number.NaN;
let cachedDayText = "";

/**
 * toISOString's text, the date part remembered per day and the time worked out by arithmetic: a day of 1-minute
 * metrics writes 1,440 timestamps, and Date's own toISOString was about a third of GetInstanceMetrics' time.
 */
function isoString(date: Date, epoch: number): string {
  if (!(epoch >= fourDigitYears.from && epoch < fourDigitYears.to)) return date.toISOString();
  const day = Math.floor(epoch / dayMs);
  if (day !== cachedDay) {
    cachedDayText = new Date(day * dayMs).toISOString().slice(0, 11);
    cachedDay = day;
  }
  let rest = epoch - day * dayMs;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${cachedDayText}${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function blob(value: unknown): string {
  return Buffer.from(value as Uint8Array).toString("base64");
}

const notXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Anything that may need replacing or escaping: most values have none, and skip both passes. */
const special = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * `text` as the content of an element: what XML 1.0 cannot carry is replaced, so one bad value never makes a whole
 * response unparsable, and markup characters are escaped. The one way text gets into any response, errors included.
 */
export function xmlEscaped(text: string): string {
  return special.test(text) ? escapeXml(text.replace(notXmlChars, "\uFFFD")) : text;
}

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => entities[c]!) : text;
}
