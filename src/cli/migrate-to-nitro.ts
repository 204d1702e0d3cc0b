// `mini-ec2 migrate-to-nitro --instance-id i-… --target-instance-type m5.large [--operation-type CheckOnly] [--no-wait]`:
// starts a Xen to Nitro migration (the extension operation StartNitroMigration), prints the pre-flight (the runbook's
// checks and what the guest lacks), then follows the run step by step until it ends. The default operation is
// FullMigration; CheckOnly stops after the checks. --no-wait prints the started task and returns at once.
import type { GlobalOptions } from "./argv.js";
import { findCommand } from "./commands.js";
import { progressLine } from "./convert-image.js";
import { CliFailure } from "./errors.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { formatOutput, normalize } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface Check {
  Name: string;
  Outcome: string;
  Detail?: string;
}

interface Migration {
  MigrationTaskId: string;
  State: string;
  CloneInstanceId?: string;
  GoldenImageId?: string;
  FailureReason?: string;
  Steps?: Array<{ Name: string; State: string; Artifacts?: string[]; Error?: string }>;
}

const finished = new Set(["succeeded", "failed", "cancelled"]);

export async function runMigrateToNitro(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker, pollMs = 500): Promise<void> {
  const noWait = words.includes("--no-wait");
  const flags = words.filter((word) => word !== "--no-wait");
  if (!flags.includes("--operation-type") && !flags.includes("help")) flags.push("--operation-type", "FullMigration");
  const prepared = await prepareExtensionCommand("start-nitro-migration", "migrate-to-nitro", flags, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const started = normalize(model, shapeOf(model, command.operation.output!), await connection.send("StartNitroMigration", input)) as {
    MigrationTaskId: string;
    Checks?: Check[];
    GuestChecks?: Check[];
  };
  if (noWait) return printer.out(formatOutput(globals.output ?? settings.output, "StartNitroMigration", started));

  printer.out(`${started.MigrationTaskId}: ${String(input.OperationType)} of ${String(input.InstanceId)} to ${String(input.TargetInstanceType)}\n`);
  for (const check of [...(started.Checks ?? []), ...(started.GuestChecks ?? [])]) {
    printer.out(`  ${check.Outcome.padEnd(7)} ${check.Name}${check.Outcome === "passed" ? "" : `: ${check.Detail ?? ""}`}\n`);
  }
  printer.out("\n");
  tracker.operation = "DescribeNitroMigrations";
  const describe = findCommand(model, "describe-nitro-migrations")!;
  const reported = new Set<string>();
  for (;;) {
    const answer = normalize(
      model,
      shapeOf(model, describe.operation.output!),
      await connection.send("DescribeNitroMigrations", { MigrationTaskIds: [started.MigrationTaskId] }),
    ) as { NitroMigrations?: Migration[] };
    const migration = answer.NitroMigrations?.[0];
    if (!migration) throw new CliFailure(`The migration task ${started.MigrationTaskId} disappeared.`);
    const steps = migration.Steps ?? [];
    steps.forEach((step, index) => {
      const key = `${step.Name}:${step.State}`;
      if (step.State === "pending" || step.State === "running" || reported.has(key)) return;
      reported.add(key);
      printer.out(progressLine(step, index, steps.length));
    });
    if (finished.has(migration.State)) {
      if (migration.State !== "succeeded") throw new CliFailure(`\nThe migration ${migration.State}: ${migration.FailureReason ?? "no reason given"}`);
      if (!migration.GoldenImageId) return printer.out("\nEvery preliminary check passed.\n");
      return printer.out(`\n${migration.CloneInstanceId} runs on ${String(input.TargetInstanceType)}; ${migration.GoldenImageId} is the golden AMI.\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
