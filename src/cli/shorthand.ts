// The AWS CLI's shorthand syntax (`Name=instance-state-name,Values=running,stopped`), ported from awscli's
// shorthand.py so that every value a user copies from AWS's documentation parses to the same structure:
// ShorthandParser is purely syntactic; coerceToShape is its BackCompatVisitor, which uses the model to turn
// `Values=running` into a list and `Count=2` into a number.
import { readFileSync } from "node:fs";
import { type CliModel, type Shape, shapeOf } from "./model.js";

export class ShorthandParseError extends Error {}

type Parsed = string | Parsed[] | { [key: string]: Parsed };

// Character classes of shorthand.py's regexes, in JavaScript's syntax.
const startWord = "!#-&(-+\\--<>-Z\\\\-z|-\\uffff";
const firstFollow = "\\s!#-&(-+\\--\\\\^-|~-\\uffff";
const secondFollow = "\\s!#-&(-+\\--<>-\\uffff";
const escapedComma = "(\\\\,)";
const firstValue = new RegExp(`^(${escapedComma}|[${startWord}])(${escapedComma}|[${firstFollow}])*`, "u");
const secondValue = new RegExp(`^(${escapedComma}|[${startWord}])(${escapedComma}|[${secondFollow}])*`, "u");
const singleQuoted = /^'(?:\\'|[^'])*'/;
const doubleQuoted = /^"(?:\\"|[^"])*"/;
const keyChars = /[A-Za-z0-9\-_.#/:]/;
const whitespace = /\s/;

export function parseShorthand(input: string): Record<string, Parsed> {
  return new Parser(input).parameter();
}

class Parser {
  private index = 0;
  private resolveFiles = false;

  constructor(private readonly input: string) {}

  parameter(): Record<string, Parsed> {
    const params: Record<string, Parsed> = {};
    let [key, value] = this.keyval();
    params[key] = value;
    let lastIndex = this.index;
    while (this.index < this.input.length) {
      this.expect(",", true);
      [key, value] = this.keyval();
      if (Object.hasOwn(params, key)) {
        throw this.error(
          `Second instance of key "${key}" encountered for input:\n${this.location(lastIndex + 1)}\nThis is often because there is a preceding "," instead of a space.`,
        );
      }
      params[key] = value;
      lastIndex = this.index;
    }
    return params;
  }

  private keyval(): [string, Parsed] {
    const key = this.key();
    this.fileMarker();
    this.expect("=", true);
    return [key, this.values()];
  }

  // `key@=file://path` reads the value from a file.
  private fileMarker(): void {
    this.resolveFiles = false;
    this.skipWhitespace();
    if (this.current() === "@") {
      this.index++;
      this.skipWhitespace();
      this.resolveFiles = true;
    }
  }

  private key(): string {
    const start = this.index;
    while (!this.atEof() && keyChars.test(this.current()!)) this.index++;
    return this.input.slice(start, this.index);
  }

  private values(): Parsed {
    if (this.atEof()) return "";
    if (this.current() === "[") return this.explicitList();
    if (this.current() === "{") return this.hashLiteral();
    return this.csvValue();
  }

  // foo=bar -> "bar"; foo=bar,baz -> ["bar", "baz"]; foo=a,b,c=d -> backtracks so that c=d is the next pair.
  private csvValue(): Parsed {
    const first = this.firstValue();
    this.skipWhitespace();
    if (this.atEof() || this.input[this.index] !== ",") return first;
    this.expect(",", true);
    const list: Parsed[] = [first];
    for (;;) {
      try {
        const current = this.secondValue();
        this.skipWhitespace();
        if (this.atEof()) {
          list.push(current);
          break;
        }
        this.expect(",", true);
        list.push(current);
      } catch (error) {
        if (!(error instanceof ShorthandParseError) || this.atEof()) throw error;
        this.backtrackTo(",");
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  private explicitList(): Parsed[] {
    this.expect("[", true);
    const values: Parsed[] = [];
    while (this.current() !== "]") {
      values.push(this.explicitValue());
      this.skipWhitespace();
      if (this.current() !== "]") {
        this.expect(",");
        this.skipWhitespace();
      }
    }
    this.expect("]");
    return values;
  }

  private explicitValue(): Parsed {
    if (this.current() === "[") return this.explicitList();
    if (this.current() === "{") return this.hashLiteral();
    return this.firstValue();
  }

  private hashLiteral(): Record<string, Parsed> {
    this.expect("{", true);
    const result: Record<string, Parsed> = {};
    while (this.current() !== "}") {
      const key = this.key();
      this.fileMarker();
      this.expect("=", true);
      const value = this.explicitValue();
      this.skipWhitespace();
      if (this.current() !== "}") {
        this.expect(",");
        this.skipWhitespace();
      }
      result[key] = value;
    }
    this.expect("}");
    return result;
  }

  private firstValue(): string {
    if (this.current() === "'") return this.quoted(singleQuoted, "'");
    if (this.current() === '"') return this.quoted(doubleQuoted, '"');
    const match = firstValue.exec(this.input.slice(this.index));
    if (!match) return "";
    this.index += match[0].length;
    return this.resolve(match[0].replaceAll("\\,", ",").trimEnd());
  }

  private secondValue(): string {
    if (this.current() === "'") return this.quoted(singleQuoted, "'");
    if (this.current() === '"') return this.quoted(doubleQuoted, '"');
    return this.resolve(this.mustConsume(secondValue, "second").replaceAll("\\,", ",").trimEnd());
  }

  private quoted(regex: RegExp, quote: string): string {
    const value = this.mustConsume(regex, quote === "'" ? "singled quoted" : "double quoted")
      .slice(1, -1)
      .replaceAll(`\\${quote}`, quote)
      .replaceAll("\\\\", "\\");
    return this.resolve(value);
  }

  private resolve(value: string): string {
    return this.resolveFiles ? (readParamFile(value) ?? value) : value;
  }

  private mustConsume(regex: RegExp, name: string): string {
    const match = regex.exec(this.input.slice(this.index));
    if (!match) throw this.syntaxError(`<${name}>`, "<none>");
    this.index += match[0].length;
    return match[0];
  }

  private expect(char: string, consumeWhitespace = false): void {
    if (consumeWhitespace) this.skipWhitespace();
    if (this.atEof()) throw this.syntaxError(char, "EOF");
    const actual = this.input[this.index]!;
    if (actual !== char) throw this.syntaxError(char, actual);
    this.index++;
    if (consumeWhitespace) this.skipWhitespace();
  }

  private syntaxError(expected: string, actual: string): ShorthandParseError {
    return this.error(`Expected: '${expected}', received: '${actual}' for input:\n${this.location(this.index)}`);
  }

  private error(message: string): ShorthandParseError {
    return new ShorthandParseError(message);
  }

  // The input with a caret under the failing position, as shorthand.py's _error_location draws it.
  private location(index: number): string {
    let consumed = this.input;
    let remaining = "";
    let spaces = index;
    const before = this.input.slice(0, index);
    if (before.includes("\n")) spaces = index - before.lastIndexOf("\n") - 1;
    const nextNewline = this.input.indexOf("\n", index);
    if (nextNewline >= 0) {
      consumed = this.input.slice(0, nextNewline);
      remaining = this.input.slice(nextNewline);
    }
    return `${consumed}\n${" ".repeat(spaces)}^${remaining}`;
  }

  private current(): string | undefined {
    return this.input[this.index];
  }

  private atEof(): boolean {
    return this.index >= this.input.length;
  }

  private backtrackTo(char: string): void {
    while (this.index >= 0 && this.input[this.index] !== char) this.index--;
  }

  private skipWhitespace(): void {
    while (!this.atEof() && whitespace.test(this.current()!)) this.index++;
  }
}

/** `file://path` and `fileb://path` values, as awscli's paramfile.py reads them; anything else is not a file. */
export function readParamFile(value: string): string | undefined {
  for (const prefix of ["file://", "fileb://"]) {
    if (!value.startsWith(prefix)) continue;
    const path = value.slice(prefix.length).replace(/^~(?=\/|$)/, process.env.HOME ?? "~");
    try {
      return prefix === "fileb://" ? readFileSync(path).toString("base64") : readFileSync(path, "utf8");
    } catch (error) {
      throw new ShorthandParseError(`Unable to load paramfile ${value}: ${(error as Error).message}`);
    }
  }
  return undefined;
}

/** BackCompatVisitor: a scalar where the model wants a list becomes a one-element list; numbers and booleans get their types. */
export function coerceToShape(model: CliModel, shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (name in result) result[name] = coerceToShape(model, shapeOf(model, ref), result[name]);
      }
      return result;
    }
    case "list": {
      const items = Array.isArray(value) ? value : [value];
      return items.map((item) => coerceToShape(model, shapeOf(model, shape.member!), item));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) return value;
      const valueShape = shapeOf(model, shape.value!);
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerceToShape(model, valueShape, item)]));
    }
    case "integer":
    case "long":
      return typeof value === "string" ? parseInteger(value) : value;
    case "double":
    case "float":
      return typeof value === "string" ? parseNumber(value) : value;
    case "boolean":
      if (typeof value !== "string") return value;
      if (value.toLowerCase() === "true") return true;
      if (value.toLowerCase() === "false") return false;
      return value;
    default:
      return value;
  }
}

export function parseInteger(text: string): number {
  if (!/^\s*[-+]?\d+\s*$/.test(text)) throw new ShorthandParseError(`invalid literal for int() with base 10: '${text}'`);
  return Number.parseInt(text, 10);
}

function parseNumber(text: string): number {
  const number = Number(text);
  if (text.trim() === "" || Number.isNaN(number)) throw new ShorthandParseError(`could not convert string to float: '${text}'`);
  return number;
}
