// Splits a command line the way the AWS CLI's argparse setup does: global options may stand anywhere, list
// flags take every word up to the next flag, booleans come as --flag / --no-flag, and `--flag=value` works too.
import { type CliArgument, type Command, isBoolean, takesManyValues } from "./commands.js";
import { UsageError } from "./errors.js";

export type OutputFormat = "json" | "yaml" | "yaml-stream" | "text" | "table";

export interface GlobalOptions {
  endpointUrl?: string;
  region?: string;
  profile?: string;
  output?: OutputFormat;
  query?: string;
  paginate: boolean;
  debug: boolean;
  noSignRequest: boolean;
  color?: string;
  version: boolean;
  readTimeout?: number;
  connectTimeout?: number;
}

// Global options that take a value, with the choices argparse would enforce.
const valueOptions: Record<string, readonly string[] | undefined> = {
  "--endpoint-url": undefined,
  "--region": undefined,
  "--profile": undefined,
  "--output": ["json", "text", "table", "yaml", "yaml-stream"],
  "--query": undefined,
  "--color": ["on", "off", "auto"],
  "--cli-read-timeout": undefined,
  "--cli-connect-timeout": undefined,
  "--ca-bundle": undefined,
  "--cli-binary-format": ["base64", "raw-in-base64-out"],
};
// Global switches; the TLS and binary-format ones change nothing against a local HTTP endpoint.
const switches = new Set(["--no-paginate", "--debug", "--no-sign-request", "--version", "--no-verify-ssl", "--no-cli-pager", "--no-cli-auto-prompt"]);

/** Takes the global options out of argv, wherever they are, and returns the rest in order. */
export function extractGlobalOptions(argv: string[]): { globals: GlobalOptions; rest: string[] } {
  const globals: GlobalOptions = { paginate: true, debug: false, noSignRequest: false, version: false };
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    const [flag, inline] = splitInline(word);
    if (flag in valueOptions) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new UsageError(`argument ${flag}: expected one argument`);
      const choices = valueOptions[flag];
      if (choices && !choices.includes(value)) {
        throw new UsageError(`argument ${flag}: Invalid choice, valid choices are:\n\n${choices.join(" | ")}`);
      }
      setValueOption(globals, flag, value);
    } else if (switches.has(word)) {
      if (word === "--no-paginate") globals.paginate = false;
      if (word === "--debug") globals.debug = true;
      if (word === "--no-sign-request") globals.noSignRequest = true;
      if (word === "--version") globals.version = true;
    } else {
      rest.push(word);
    }
  }
  return { globals, rest };
}

function setValueOption(globals: GlobalOptions, flag: string, value: string): void {
  switch (flag) {
    case "--endpoint-url":
      globals.endpointUrl = value;
      break;
    case "--region":
      globals.region = value;
      break;
    case "--profile":
      globals.profile = value;
      break;
    case "--output":
      globals.output = value as OutputFormat;
      break;
    case "--query":
      globals.query = value;
      break;
    case "--color":
      globals.color = value;
      break;
    case "--cli-read-timeout":
      globals.readTimeout = seconds(flag, value);
      break;
    case "--cli-connect-timeout":
      globals.connectTimeout = seconds(flag, value);
      break;
  }
}

function seconds(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`argument ${flag}: invalid int value: '${value}'`);
  return Number(value);
}

function splitInline(word: string): [string, string | undefined] {
  const equals = word.indexOf("=");
  return word.startsWith("--") && equals > 0 ? [word.slice(0, equals), word.slice(equals + 1)] : [word, undefined];
}

/** What the user wrote for one operation: raw strings per flag, before shorthand or JSON is read. */
export interface CommandLine {
  values: Map<CliArgument, string | string[] | boolean>;
  cliInputJson?: string;
  generateSkeleton?: "input" | "output";
  help: boolean;
}

// Flags every operation takes, whatever its model says.
const commonFlags = new Set(["--cli-input-json", "--generate-cli-skeleton"]);

export function parseCommandLine(command: Command, words: string[]): CommandLine {
  const line: CommandLine = { values: new Map(), help: false };
  const unknown: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (word === "help" && index === 0 && words.length === 1) {
      line.help = true;
      continue;
    }
    if (!word.startsWith("--")) {
      unknown.push(word);
      continue;
    }
    const [flag, inline] = splitInline(word);
    if (commonFlags.has(flag)) {
      if (flag === "--cli-input-json") {
        const value = inline ?? words[++index];
        if (value === undefined) throw new UsageError(`argument ${flag}: expected one argument`);
        line.cliInputJson = value;
      } else {
        const next = inline ?? (words[index + 1] === "input" || words[index + 1] === "output" ? words[++index] : "input");
        if (next !== "input" && next !== "output") throw new UsageError(`argument ${flag}: Invalid choice, valid choices are:\n\ninput | output`);
        line.generateSkeleton = next;
      }
      continue;
    }
    const argument = lookup(command, flag);
    if (!argument) {
      unknown.push(word);
      continue;
    }
    if (isBoolean(argument)) {
      const positive = !flag.startsWith("--no-") || flag === `--${argument.name}`;
      // --ena-support '{"Value": true}' still takes its value; --ena-support alone is {Value: true}.
      const next = words[index + 1];
      if (argument.booleanValue && positive && (inline !== undefined || (next !== undefined && !looksLikeFlag(next)))) {
        line.values.set(argument, inline ?? words[++index]!);
        continue;
      }
      if (inline !== undefined) throw new UsageError(`argument ${flag}: ignored explicit argument '${inline}'`);
      line.values.set(argument, positive);
      continue;
    }
    if (takesManyValues(argument)) {
      const values = inline !== undefined ? [inline] : [];
      while (inline === undefined && index + 1 < words.length && !looksLikeFlag(words[index + 1]!)) values.push(words[++index]!);
      if (values.length === 0) throw new UsageError(`argument ${flag}: expected at least one argument`);
      line.values.set(argument, values);
      continue;
    }
    const value = inline ?? words[index + 1];
    if (value === undefined || (inline === undefined && looksLikeFlag(value))) throw new UsageError(`argument ${flag}: expected one argument`);
    if (inline === undefined) index++;
    line.values.set(argument, value);
  }
  if (unknown.length > 0) throw new UsageError(`Unknown options: ${unknown.join(", ")}`);
  return line;
}

// argparse takes a word for a flag when it starts with "--" (a negative number like -1 is still a value).
function looksLikeFlag(word: string): boolean {
  return word.startsWith("--") && word.length > 2;
}

function lookup(command: Command, flag: string): CliArgument | undefined {
  const name = flag.slice(2);
  const direct = command.arguments.get(name);
  if (direct) return direct;
  if (name.startsWith("no-")) {
    const negated = command.arguments.get(name.slice(3));
    if (negated && isBoolean(negated)) return negated;
  }
  return undefined;
}
