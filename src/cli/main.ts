// The mini-ec2 command: `mini-ec2 ec2 <command>` as the AWS CLI's `aws ec2 <command>`, plus commands of its own.
// One exit path: whatever happens is printed the AWS CLI's way and ends with its exit code.
import { extractGlobalOptions, type GlobalOptions } from "./argv.js";
import { describeError, exitCodes, UsageError } from "./errors.js";
import { runConvertImage } from "./convert-image.js";
import { runExplain } from "./explain.js";
import { runFleet } from "./fleet.js";
import { runGuest } from "./guest.js";
import { topLevelCommands, topLevelHelp } from "./help.js";
import { runMatrix } from "./matrix.js";
import { runMigrate } from "./migrate.js";
import { runMigrateToNitro } from "./migrate-to-nitro.js";
import { ec2CliModel, extensionCliModel } from "./model.js";
import { type CallTracker, type Printer, runServiceCommand } from "./service-command.js";

const version = "0.1.0";

type OwnCommand = (words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker) => Promise<void>;

/** The commands that teach, each over one or two of mini-ec2's own operations. */
const ownCommands: Record<string, OwnCommand> = {
  explain: runExplain,
  "convert-image": runConvertImage,
  fleet: runFleet,
  guest: runGuest,
  matrix: runMatrix,
  migrate: runMigrate,
  "migrate-to-nitro": runMigrateToNitro,
};

/** Runs one command line; resolves to the exit code, or to undefined when the process should keep running (serve). */
export async function run(argv: string[], printer: Printer, printError: (text: string) => void): Promise<number | undefined> {
  const tracker: CallTracker = {};
  try {
    const { globals, rest } = extractGlobalOptions(argv);
    if (globals.version) {
      printer.out(`mini-ec2/${version} Node/${process.versions.node}\n`);
      return exitCodes.ok;
    }
    const [command, ...words] = rest;
    const own = command !== undefined && Object.hasOwn(ownCommands, command) ? ownCommands[command] : undefined;
    if (own) {
      await own(words, globals, printer, tracker);
      return exitCodes.ok;
    }
    switch (command) {
      case undefined:
        throw new UsageError("the following arguments are required: command");
      case "help":
        printer.out(topLevelHelp());
        return exitCodes.ok;
      case "ec2":
        await runServiceCommand(ec2CliModel(), words, globals, printer, tracker);
        return exitCodes.ok;
      case "mini-ec2":
        await runServiceCommand(extensionCliModel(), words, globals, printer, tracker);
        return exitCodes.ok;
      case "serve":
        // The server's own entry point: it boots, prints where it listens and handles SIGINT/SIGTERM itself.
        await import("../main.js");
        return undefined;
      default:
        throw new UsageError(`argument command: Invalid choice, valid choices are:\n\n${topLevelCommands.map(([name]) => name).join(" | ")}`);
    }
  } catch (error) {
    const { message, exitCode } = describeError(error, tracker);
    printError(message);
    return exitCode;
  }
}

/** What bin/mini-ec2.js calls: runs process.argv and exits with the code once stdout has drained. */
export async function runAsProcess(): Promise<void> {
  const exitCode = await run(process.argv.slice(2), { out: (text) => process.stdout.write(text) }, (text) => process.stderr.write(text));
  // Exit without waiting for the SDK's kept-alive sockets; a pipe still gets everything written.
  if (exitCode !== undefined) process.stdout.write("", () => process.exit(exitCode));
}
