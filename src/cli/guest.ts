// `mini-ec2 guest --volume-id vol-… | --instance-id i-… | --image-id ami-… | --snapshot-id snap-…` shows the facts of
// the guest on that disk that decide a boot (the extension operation DescribeGuest); with `--repair <name>` it applies
// that repair to the volume, or to the root volume of the stopped instance (RepairGuest), and shows the commands an
// operator would have run and the facts after. --output json|yaml|text|table prints the raw answer instead.
import type { GlobalOptions } from "./argv.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { applyQuery, formatOutput, normalize } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface Answer {
  ResourceId?: string;
  VolumeId?: string;
  Repair?: string;
  Changed?: boolean;
  Commands?: string[];
  Guest?: Record<string, unknown>;
}

export async function runGuest(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const repairing = words.includes("--repair") || words.some((word) => word.startsWith("--repair="));
  const [operation, commandName] = repairing ? ["RepairGuest", "repair-guest"] : ["DescribeGuest", "describe-guest"];
  const prepared = await prepareExtensionCommand(commandName, "guest", words, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const answer = normalize(model, shapeOf(model, command.operation.output!), await connection.send(operation, input)) as Answer;
  if (globals.output !== undefined || globals.query !== undefined)
    return printer.out(formatOutput(globals.output ?? settings.output, operation, applyQuery(answer, globals.query)));
  const head = repairing
    ? [
        `${answer.Repair} on ${answer.VolumeId}: ${answer.Changed ? "applied" : "nothing to change, the guest already had it"}`,
        ...(answer.Commands ?? []).map((line) => `  $ ${line}`),
        "",
      ]
    : [`${answer.ResourceId}`];
  printer.out(`${[...head, answer.Guest ? guestFacts(answer.Guest) : "a blank disk: no guest"].join("\n")}\n`);
}

/** One line per fact, `Name  value`; lists joined, fstab entries and configuration files on lines of their own. */
export function guestFacts(guest: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(guest).map((key) => key.length));
  return Object.entries(guest)
    .map(([key, value]) => {
      const label = key.padEnd(width);
      if (Array.isArray(value)) {
        const items = value.map((item) => (typeof item === "object" && item !== null ? Object.values(item).join("  ") : String(item)));
        return `${label}  ${items.join(", ") || "-"}`;
      }
      if (typeof value === "string" && value.includes("\n"))
        return `${key}\n${value
          .trimEnd()
          .split("\n")
          .map((line) => `    ${line}`)
          .join("\n")}`;
      return `${label}  ${String(value)}`;
    })
    .join("\n");
}
