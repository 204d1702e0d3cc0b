// `mini-ec2 convert-image --image-id ami-… [--name …] [--test-instance-type t2.micro] [--ena-support] [--no-wait]`:
// starts a PV to HVM conversion (the extension operation StartImageConversion) and follows it step by step until it
// ends, printing each step as it completes. --no-wait prints the started task and returns at once. It takes
// start-image-conversion's own flags; --image-id is the short name of --source-image-id.
import type { GlobalOptions } from "./argv.js";
import { findCommand } from "./commands.js";
import { CliFailure } from "./errors.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { formatOutput, normalize } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface Step {
  Name: string;
  Description?: string;
  State: string;
  Attempts?: number;
  Artifacts?: string[];
  Error?: string;
}

interface Conversion {
  ConversionTaskId: string;
  State: string;
  ImageId?: string;
  FailureReason?: string;
  Steps?: Step[];
}

const finished = new Set(["succeeded", "failed", "cancelled"]);

export async function runConvertImage(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker, pollMs = 500): Promise<void> {
  const noWait = words.includes("--no-wait");
  const flags = words.filter((word) => word !== "--no-wait").map((word) => (word === "--image-id" ? "--source-image-id" : word));
  const prepared = await prepareExtensionCommand("start-image-conversion", "convert-image", flags, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const started = normalize(model, shapeOf(model, command.operation.output!), await connection.send("StartImageConversion", input)) as {
    ConversionTaskId: string;
    ImageConversion?: Conversion;
  };
  if (noWait) return printer.out(formatOutput(globals.output ?? settings.output, "StartImageConversion", started));

  printer.out(`${started.ConversionTaskId}: converting ${String(input.SourceImageId)} to HVM\n`);
  tracker.operation = "DescribeImageConversions";
  const describe = findCommand(model, "describe-image-conversions")!;
  const reported = new Set<string>();
  for (;;) {
    const answer = normalize(
      model,
      shapeOf(model, describe.operation.output!),
      await connection.send("DescribeImageConversions", { ConversionTaskIds: [started.ConversionTaskId] }),
    ) as { ImageConversions?: Conversion[] };
    const conversion = answer.ImageConversions?.[0];
    if (!conversion) throw new CliFailure(`The conversion task ${started.ConversionTaskId} disappeared.`);
    const steps = conversion.Steps ?? [];
    steps.forEach((step, index) => {
      const key = `${step.Name}:${step.State}`;
      if (step.State === "pending" || step.State === "running" || reported.has(key)) return;
      reported.add(key);
      printer.out(progressLine(step, index, steps.length));
    });
    if (finished.has(conversion.State)) {
      if (conversion.State === "succeeded") return printer.out(`\n${conversion.ImageId} is the HVM image.\n`);
      throw new CliFailure(`\nThe conversion ${conversion.State}: ${conversion.FailureReason ?? "no reason given"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** `[ 3/12] create-volumes  succeeded  vol-…, vol-…` */
export function progressLine(step: Step, index: number, total: number): string {
  const counter = `[${String(index + 1).padStart(String(total).length)}/${total}]`;
  const detail = step.Error ?? (step.Artifacts?.length ? step.Artifacts.join(", ") : "");
  return `${counter} ${step.Name.padEnd(22)} ${step.State.padEnd(10)}${detail ? ` ${detail}` : ""}\n`;
}
