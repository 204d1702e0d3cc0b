// Help pages in the AWS CLI's layout (NAME, DESCRIPTION, SYNOPSIS, OPTIONS), from the model's documentation.
import { type Command, commandNames, typeLabel } from "./commands.js";
import type { CliModel } from "./model.js";
import { waiterNames } from "./waiters.js";

export const topLevelCommands: Array<[string, string]> = [
  ["ec2", "Amazon EC2 operations, with the AWS CLI's names and flags (mini-ec2 ec2 help)"],
  ["mini-ec2", "mini-ec2's own operations (Version 2026-11-22), as `aws mini-ec2 …` after add-model (mini-ec2 mini-ec2 help)"],
  ["explain", "why an image will or will not launch on an instance type: one line per rule (mini-ec2 explain help)"],
  ["matrix", "the instance-type support matrix of the catalog as a table (mini-ec2 matrix help)"],
  ["convert-image", "convert a PV image to HVM, following the conversion step by step (mini-ec2 convert-image help)"],
  ["migrate-to-nitro", "migrate a Xen instance to a Nitro type as AWS's runbook does, step by step (mini-ec2 migrate-to-nitro help)"],
  ["fleet", "the simulated servers of the Region, per zone: hypervisor, how full, and instances (mini-ec2 fleet help)"],
  ["guest", "the facts of a disk's guest that decide a boot, and --repair to change one (mini-ec2 guest help)"],
  ["migrate", "live-migrate an instance to another server and print the model's rounds and totals (mini-ec2 migrate help)"],
  ["serve", "start the mini-ec2 server (the same as npm start)"],
  ["help", "this page"],
];

export function topLevelHelp(): string {
  return `mini-ec2

DESCRIPTION
  A command-line client for mini-ec2 that takes the AWS CLI's commands: replace "aws" with "mini-ec2".
  It sends every request through the official AWS SDK, signed with SigV4, to --endpoint-url (default
  http://localhost:4566, or AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EC2).

SYNOPSIS
  mini-ec2 [options] <command> <subcommand> [parameters]

COMMANDS
${topLevelCommands.map(([name, text]) => `  ${name.padEnd(10)}${text}`).join("\n")}

GLOBAL OPTIONS
  --endpoint-url (string)  the server (default http://localhost:4566)
  --region (string)        the region to sign for (AWS_REGION, AWS_DEFAULT_REGION, the profile, else us-east-1)
  --profile (string)       a profile of ~/.aws/config and ~/.aws/credentials
  --output (string)        json (default), yaml, text or table
  --query (string)         a JMESPath query applied to the response
  --no-paginate            make one call instead of following NextToken
  --cli-read-timeout, --cli-connect-timeout (int)   seconds, 0 for none
`;
}

export function serviceHelp(model: CliModel): string {
  const names = commandNames(model);
  return `${model.group}

DESCRIPTION
  ${model.serviceFullName} (API version ${model.apiVersion}). Every operation of the model is a command;
  the server answers Unsupported for the ones it does not implement yet (see docs/operations.md).

SYNOPSIS
  mini-ec2 ${model.group} <command> [parameters]

AVAILABLE COMMANDS
${names.map((name) => `  o ${name}`).join("\n")}
${Object.keys(model.waiters).length ? "  o wait\n" : ""}`;
}

export function commandHelp(command: Command): string {
  const visible = [...command.arguments.values()].filter((argument) => !argument.hidden);
  const synopsis = visible.map((argument) => {
    const flag = argument.shape?.type === "boolean" || argument.booleanValue ? `--${argument.name} | --no-${argument.name}` : `--${argument.name} <value>`;
    return argument.required ? flag : `[${flag}]`;
  });
  synopsis.push("[--cli-input-json <value>]", "[--generate-cli-skeleton <value>]");
  const options = visible.map((argument) => {
    const label = argument.shape ? typeLabel(command.model, argument) : "string";
    const required = argument.required ? " [required]" : "";
    return `  --${argument.name} (${label})${required}\n${indent(plainText(argument.documentation ?? ""), 6)}`;
  });
  return `${command.name}

DESCRIPTION
${indent(plainText(command.operation.documentation ?? ""), 2)}

SYNOPSIS
  ${command.name}
${synopsis.map((line) => `    ${line}`).join("\n")}

OPTIONS
${options.join("\n\n")}
`;
}

export function waitHelp(model: CliModel): string {
  return `wait

DESCRIPTION
  Wait until a particular condition is satisfied. Each subcommand polls an API until the condition is met,
  or exits 255 when it fails or its attempts run out. Each takes the flags of the operation it polls.

SYNOPSIS
  mini-ec2 ${model.group} wait <waiter> [parameters]

AVAILABLE WAITERS
${waiterNames(model)
  .map((name) => `  o ${name}`)
  .join("\n")}
`;
}

// The model's documentation is HTML: keep the words, one paragraph per line, wrapped for a terminal.
function plainText(html: string): string {
  const text = html
    .replace(/<\/p>\s*/g, "\n")
    .replace(/<li>/g, "- ")
    .replace(/<\/li>\s*/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => wrap(line, 100))
    .join("\n");
}

function wrap(line: string, width: number): string {
  const out: string[] = [];
  let current = "";
  for (const word of line.split(/\s+/)) {
    if (current && current.length + word.length + 1 > width) {
      out.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) out.push(current);
  return out.join("\n");
}

function indent(text: string, spaces: number): string {
  return text
    .split("\n")
    .map((line) => (line ? `${" ".repeat(spaces)}${line}` : line))
    .join("\n");
}
