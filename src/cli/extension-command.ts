// The start every command of mini-ec2's own (explain, fleet, convert-image) shares: the extension operation's
// command from the model under the command's own name, its flags parsed, and a connection to send it on.
import { type GlobalOptions, parseCommandLine } from "./argv.js";
import { findCommand } from "./commands.js";
import { commandHelp } from "./help.js";
import { type CliModel, extensionCliModel } from "./model.js";
import { buildInput } from "./params.js";
import type { CallTracker, Printer } from "./service-command.js";
import { resolveSettings, type Settings } from "./settings.js";
import { type Connection, connect } from "./transport.js";

export interface PreparedCommand {
  model: CliModel;
  command: NonNullable<ReturnType<typeof findCommand>>;
  input: Record<string, unknown>;
  settings: Settings;
  connection: Connection;
}

/** Undefined when the words asked for help, which is printed. */
export async function prepareExtensionCommand(
  operationCommand: string,
  name: string,
  words: string[],
  globals: GlobalOptions,
  printer: Printer,
  tracker: CallTracker,
): Promise<PreparedCommand | undefined> {
  const model = extensionCliModel();
  const command = findCommand(model, operationCommand)!;
  command.name = name;
  const line = parseCommandLine(command, words);
  if (line.help) {
    printer.out(commandHelp(command));
    return undefined;
  }
  const { input } = buildInput(command, line);
  const settings = await resolveSettings(globals);
  tracker.operation = command.operation.name;
  tracker.endpoint = settings.endpoint;
  return { model, command, input, settings, connection: connect(globals, settings, model) };
}
