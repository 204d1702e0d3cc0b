// `mini-ec2 migrate --instance-id i-… --strategy pre-copy [--target-server-id srv-…]`: live-migrates an instance
// (the extension operation MigrateInstance) and prints the model's rounds, one line each, then the totals: how long,
// how long the guest was paused, how much crossed the link. --output json|yaml|text|table prints the raw answer.
import type { GlobalOptions } from "./argv.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { applyQuery, formatOutput, normalize } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface Round {
  Round: number;
  PagesSent: number;
  PagesDirtied: number;
  DurationMs: number;
  RateMbps: number;
  GuestPaused?: boolean;
}

interface Migration {
  MigrationId: string;
  InstanceId: string;
  Strategy: string;
  State: string;
  SourceServerId: string;
  TargetServerId: string;
  SwitchoverTime?: string | Date;
  Rounds?: Round[];
  EndedBy?: string;
  TotalTimeMs: number;
  DowntimeMs: number;
  BytesTransferred: number;
  PageFaults?: number;
}

export async function runMigrate(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const prepared = await prepareExtensionCommand("migrate-instance", "migrate", words, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const answer = normalize(model, shapeOf(model, command.operation.output!), await connection.send("MigrateInstance", input)) as { Migration?: Migration };
  if (globals.output !== undefined || globals.query !== undefined)
    return printer.out(formatOutput(globals.output ?? settings.output, "MigrateInstance", applyQuery(answer, globals.query)));
  printer.out(drawMigration(answer.Migration!));
}

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);

export function drawMigration(migration: Migration): string {
  const head = `${migration.MigrationId}: ${migration.InstanceId} ${migration.SourceServerId} -> ${migration.TargetServerId} (${migration.Strategy})`;
  const rounds = (migration.Rounds ?? []).map(
    (round) =>
      `  round ${String(round.Round).padStart(2)}  ${round.GuestPaused ? "paused " : "live   "} sent ${String(round.PagesSent).padStart(10)} pages` +
      `  dirtied ${String(round.PagesDirtied).padStart(9)}  ${ms(round.DurationMs).padStart(10)} at ${round.RateMbps} Mbit/s`,
  );
  const totals = [
    `total ${ms(migration.TotalTimeMs)}, downtime ${ms(migration.DowntimeMs)}, ${mib(migration.BytesTransferred)} sent`,
    migration.EndedBy ? `, ended by ${migration.EndedBy}` : "",
    migration.PageFaults !== undefined ? `, ${migration.PageFaults} network page faults` : "",
  ].join("");
  const state = `${migration.State}${migration.State === "in-progress" && migration.SwitchoverTime ? ` until ${new Date(migration.SwitchoverTime).toISOString()} on the virtual clock` : ""}`;
  return `${[head, ...rounds, totals, state].join("\n")}\n`;
}
