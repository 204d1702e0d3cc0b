// `mini-ec2 ec2 <command> …`: one model-driven path from words to a printed response, for every operation
// (and `mini-ec2 ec2 wait <waiter> …`, which polls the operation its waiter names).
import { type GlobalOptions, parseCommandLine } from "./argv.js";
import { buildCommand, type Command, commandNames, findCommand } from "./commands.js";
import { UsageError } from "./errors.js";
import { commandHelp, serviceHelp, waitHelp } from "./help.js";
import { type CliModel, type Shape, shapeOf } from "./model.js";
import { applyQuery, formatOutput, normalize } from "./output.js";
import { paginate } from "./pagination.js";
import { buildInput, RequiredArgumentsError } from "./params.js";
import { resolveSettings } from "./settings.js";
import { skeleton } from "./skeleton.js";
import { connect } from "./transport.js";
import { findWaiter, type PollResult, wait, waiterNames } from "./waiters.js";

export interface Printer {
  out(text: string): void;
}

/** Names the operation being called, so an error can say "when calling the X operation". */
export interface CallTracker {
  operation?: string;
  endpoint?: string;
}

export async function runServiceCommand(model: CliModel, words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const name = words[0];
  if (name === undefined) throw new UsageError("the following arguments are required: operation");
  if (name === "help") return printer.out(serviceHelp(model));
  if (name === "wait" && Object.keys(model.waiters).length > 0) return runWaiter(model, words.slice(1), globals, printer, tracker);
  const command = findCommand(model, name);
  if (!command) throw new UsageError(`argument operation: Invalid choice, valid choices are:\n\n${columns(commandNames(model))}`);
  const line = parseCommandLine(command, words.slice(1));
  if (line.help) return printer.out(commandHelp(command));
  if (line.generateSkeleton) {
    const shapeRef = line.generateSkeleton === "input" ? command.operation.input : command.operation.output;
    return printer.out(`${JSON.stringify(skeleton(model, shapeRef && shapeOf(model, shapeRef), line.generateSkeleton === "output"), null, 4)}\n`);
  }
  const { input, paging } = inputOrUsageError(command, line);
  const settings = await resolveSettings(globals);
  const connection = connect(globals, settings, model);
  tracker.operation = command.operation.name;
  tracker.endpoint = settings.endpoint;

  const paginator = command.paginator;
  // As the AWS CLI: giving the token or limit member yourself (--next-token, --max-results) turns pagination off.
  const manual = paginator && (paginator.input_token in input || (paginator.limit_key !== undefined && paginator.limit_key in input));
  const usesPagingFlags = Object.keys(paging).length > 0;
  if (usesPagingFlags && (!globals.paginate || manual)) {
    throw new UsageError(`Cannot specify --no-paginate along with pagination arguments: ${pagingFlagNames(paging)}`);
  }
  const paginated = paginator !== undefined && globals.paginate && !manual;
  const response = paginated
    ? await paginate(paginator, input, paging, (pageInput) => connection.send(command.operation.name, pageInput))
    : await connection.send(command.operation.name, input);
  const outputShape = command.operation.output ? shapeOf(model, command.operation.output) : undefined;
  const normalized = paginated ? normalizePages(model, outputShape, response) : normalize(model, outputShape, response);
  const data = applyQuery(afterCall(command.operation.name, normalized), globals.query);
  printer.out(formatOutput(settings.output, command.operation.name, data));
}

/** botocore's after-call handlers that change what the AWS CLI prints: GetConsoleOutput's log arrives decoded. */
function afterCall(operation: string, data: unknown): unknown {
  if (operation === "GetConsoleOutput" && data && typeof (data as { Output?: unknown }).Output === "string") {
    const output = (data as { Output: string }).Output;
    return { ...(data as object), Output: Buffer.from(output, "base64").toString("utf8") };
  }
  return data;
}

// botocore appends the resume token after the merged results, wherever the model puts NextToken.
function normalizePages(model: CliModel, shape: Shape | undefined, response: Record<string, unknown>): unknown {
  const { NextToken: resumeToken, ...results } = response;
  return { ...(normalize(model, shape, results) as object), ...(resumeToken ? { NextToken: resumeToken } : {}) };
}

function inputOrUsageError(command: Command, line: ReturnType<typeof parseCommandLine>) {
  try {
    return buildInput(command, line);
  } catch (error) {
    if (error instanceof RequiredArgumentsError) throw new UsageError(error.message);
    throw error;
  }
}

function pagingFlagNames(paging: object): string {
  const flags: Record<string, string> = { startingToken: "--starting-token", pageSize: "--page-size", maxItems: "--max-items" };
  return Object.keys(paging)
    .map((key) => flags[key])
    .join(", ");
}

async function runWaiter(model: CliModel, words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const name = words[0];
  if (name === undefined || name === "help") return printer.out(waitHelp(model));
  const found = findWaiter(model, name);
  if (!found) throw new UsageError(`argument subcommand: Invalid choice, valid choices are:\n\n${columns(waiterNames(model))}`);
  // A waiter takes the flags of the operation it polls, without the pagination ones.
  const command = buildCommand({ ...model, paginators: {} }, model.operations[found.waiter.operation]!);
  command.name = name;
  const line = parseCommandLine(command, words.slice(1));
  if (line.help) return printer.out(commandHelp(command));
  const { input } = inputOrUsageError(command, line);
  const settings = await resolveSettings(globals);
  const connection = connect(globals, settings, model);
  tracker.endpoint = settings.endpoint;
  await wait(found.name, found.waiter, async (): Promise<PollResult> => {
    try {
      const output = await connection.send(found.waiter.operation, input);
      return { output: normalize(model, shapeOf(model, model.operations[found.waiter.operation]!.output!), output) as Record<string, unknown>, status: 200 };
    } catch (error) {
      const failure = error as { $fault?: string; name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
      if (!failure.$fault) throw error;
      return { errorCode: failure.Code ?? failure.name, status: failure.$metadata?.httpStatusCode ?? 400 };
    }
  });
}

// argparse's "Invalid choice" list: two columns joined by " | ", as the AWS CLI prints it.
function columns(names: string[]): string {
  const width = Math.max(...names.map((name) => name.length));
  const rows: string[] = [];
  for (let index = 0; index < names.length; index += 2) {
    const pair = names.slice(index, index + 2);
    rows.push(pair.length === 2 ? `${pair[0]!.padEnd(Math.min(width, 40))} | ${pair[1]}` : pair[0]!);
  }
  return rows.join("\n");
}
