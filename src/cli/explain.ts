// `mini-ec2 explain --image-id ami-… --instance-type c5.large`: the rule engine's verdict (the extension
// operation ExplainLaunch), one line per rule, passed, failed or skipped, with the reason, and the fix for what
// failed. It takes explain-launch's own flags; --output json|yaml|text|table prints the raw answer instead.
import type { GlobalOptions } from "./argv.js";
import { prepareExtensionCommand } from "./extension-command.js";
import { shapeOf } from "./model.js";
import { applyQuery, formatOutput, normalize } from "./output.js";
import type { CallTracker, Printer } from "./service-command.js";

interface Check {
  RuleId: string;
  Title?: string;
  Outcome: string;
  Reason?: string;
  Fix?: string;
  ErrorCode?: string;
}

export async function runExplain(words: string[], globals: GlobalOptions, printer: Printer, tracker: CallTracker): Promise<void> {
  const prepared = await prepareExtensionCommand("explain-launch", "explain", words, globals, printer, tracker);
  if (!prepared) return;
  const { model, command, input, settings, connection } = prepared;
  const answer = normalize(model, shapeOf(model, command.operation.output!), await connection.send("ExplainLaunch", input)) as Record<string, unknown>;
  if (globals.output !== undefined || globals.query !== undefined)
    return printer.out(formatOutput(globals.output ?? settings.output, "ExplainLaunch", applyQuery(answer, globals.query)));
  printer.out(verdict(answer));
}

export function verdict(answer: Record<string, unknown>): string {
  const checks = (answer.Checks ?? []) as Check[];
  const width = Math.max(0, ...checks.map((check) => check.RuleId.length));
  const lines = checks.map((check) => {
    const head = `${check.Outcome.toUpperCase().padEnd(7)}  ${check.RuleId.padEnd(width)}  ${check.Reason ?? check.Title ?? ""}`;
    const failure =
      check.Outcome === "failed" || check.Outcome === "warning"
        ? [
            check.ErrorCode ? `           EC2 answers ${check.ErrorCode}` : "",
            check.Outcome === "warning" ? "           launches, but the guest fails at boot" : "",
            check.Fix ? `           fix: ${check.Fix}` : "",
          ].filter(Boolean)
        : [];
    return [head, ...failure].join("\n");
  });
  const failed = checks.filter((check) => check.Outcome === "failed").length;
  const summary = answer.Launchable
    ? `${answer.ImageId} launches on ${answer.InstanceType}${answer.WouldBoot === false ? ", but would not boot" : ""}.`
    : `${answer.ImageId} does not launch on ${answer.InstanceType}: ${failed} rule${failed === 1 ? "" : "s"} failed.`;
  return `${lines.join("\n")}\n\n${summary}\n`;
}
