// Turns the words of a command line into the operation's input, as awscli's argprocess.py does: a value that
// starts with [ or { is JSON, file:// reads a file, structures and lists of structures take shorthand, and
// scalars get the model's types. --cli-input-json gives a base that flags override.
import type { CommandLine } from "./argv.js";
import type { CliArgument, Command } from "./commands.js";
import { ParamError } from "./errors.js";
import { type CliModel, type Shape, scalarTypes, shapeOf } from "./model.js";
import { coerceToShape, parseInteger, parseShorthand, readParamFile, ShorthandParseError } from "./shorthand.js";

/** Paging flags the CLI handles itself rather than sending. */
export interface PagingRequest {
  startingToken?: string;
  pageSize?: number;
  maxItems?: number;
}

export function buildInput(command: Command, line: CommandLine): { input: Record<string, unknown>; paging: PagingRequest } {
  const input: Record<string, unknown> = line.cliInputJson ? readCliInputJson(line.cliInputJson) : {};
  const paging: PagingRequest = {};
  for (const [argument, raw] of line.values) {
    const flag = `--${argument.name}`;
    switch (argument.kind) {
      case "member":
        input[argument.member!] = unpack(command.model, argument, raw, flag);
        break;
      case "count":
        Object.assign(input, parseCount(raw as string));
        break;
      case "starting-token":
        paging.startingToken = raw as string;
        break;
      case "page-size":
        paging.pageSize = integerFlag(flag, raw as string);
        break;
      case "max-items":
        paging.maxItems = integerFlag(flag, raw as string);
        break;
    }
  }
  if (command.model.group === "ec2" && command.operation.name === "RunInstances") {
    input.MinCount ??= 1;
    input.MaxCount ??= 1;
  }
  const missing = [...command.arguments.values()].filter((argument) => argument.required && argument.member && !(argument.member in input));
  if (missing.length > 0) throw new RequiredArgumentsError(missing);
  return { input, paging };
}

export class RequiredArgumentsError extends Error {
  constructor(readonly missing: CliArgument[]) {
    super(`the following arguments are required: ${missing.map((argument) => `--${argument.name}`).join(", ")}`);
  }
}

function readCliInputJson(raw: string): Record<string, unknown> {
  const text = readParamFileFor("--cli-input-json", raw) ?? raw;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {
    // Reported below with the AWS CLI's wording.
  }
  throw new ParamError("--cli-input-json", `Invalid JSON received.`);
}

function unpack(model: CliModel, argument: CliArgument, raw: string | string[] | boolean, flag: string): unknown {
  const shape = argument.shape!;
  if (typeof raw === "boolean") return argument.booleanValue ? { Value: raw } : raw;
  const values = (Array.isArray(raw) ? raw : [raw]).map((value) => readParamFileFor(flag, value) ?? value);
  try {
    if (shape.type === "list") return unpackList(model, shape, values, flag);
    if (shape.type === "structure" || shape.type === "map") return unpackComplex(model, shape, values[0]!, flag);
    return unpackScalar(shape, values[0]!, flag);
  } catch (error) {
    if (error instanceof ShorthandParseError) throw new ParamError(flag, error.message);
    throw error;
  }
}

function unpackList(model: CliModel, shape: Shape, values: string[], flag: string): unknown {
  if (values.length === 1 && values[0]!.trimStart().startsWith("[")) return parseJson(flag, values[0]!);
  const member = shapeOf(model, shape.member!);
  if (scalarTypes.has(member.type)) return values.map((value) => unpackScalar(member, value, flag));
  return values.map((value) => unpackComplex(model, member, value, flag));
}

function unpackComplex(model: CliModel, shape: Shape, value: string, flag: string): unknown {
  if (value.trimStart().startsWith("{") || value.trimStart().startsWith("[")) return parseJson(flag, value);
  // awscli's special case: a structure whose only member is a string Value takes the bare value.
  if (shape.type === "structure" && Object.keys(shape.members ?? {}).join() === "Value" && !value.includes("=")) return { Value: value };
  return coerceToShape(model, shape, parseShorthand(value));
}

function unpackScalar(shape: Shape, value: string, flag: string): unknown {
  switch (shape.type) {
    case "integer":
    case "long":
      return integerFlag(flag, value);
    case "double":
    case "float": {
      const number = Number(value);
      if (value.trim() === "" || Number.isNaN(number)) throw new ParamError(flag, `could not convert string to float: '${value}'`);
      return number;
    }
    case "boolean":
      return value.toLowerCase() !== "false";
    case "timestamp": {
      const date = new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value);
      if (Number.isNaN(date.getTime())) throw new ParamError(flag, `Invalid timestamp value: ${value}`);
      return date;
    }
    case "blob":
      return new TextEncoder().encode(value);
    default:
      return value;
  }
}

function integerFlag(flag: string, value: string): number {
  try {
    return parseInteger(value);
  } catch {
    throw new ParamError(flag, `invalid int value: '${value}'`);
  }
}

function parseJson(flag: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new ParamError(flag, `Invalid JSON: ${(error as Error).message}\nJSON received: ${value}`);
  }
}

function readParamFileFor(flag: string, value: string): string | undefined {
  try {
    return readParamFile(value);
  } catch (error) {
    throw new ParamError(flag, (error as Error).message);
  }
}

// awscli's addcount.py: "2" is MinCount=MaxCount=2, "2:4" is MinCount=2, MaxCount=4.
function parseCount(value: string): { MinCount: number; MaxCount: number } {
  const match = /^\s*(\d+)\s*(?::\s*(\d+)\s*)?$/.exec(value);
  if (!match) throw new ParamError("--count", "count parameter should be of form min[:max] (e.g. 1 or 1:10)");
  return { MinCount: Number(match[1]), MaxCount: Number(match[2] ?? match[1]) };
}
