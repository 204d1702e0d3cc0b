// A lesson step's call as the AWS CLI command that makes it: `aws ec2 …` for EC2's operations, `aws mini-ec2 …`
// for the extensions (after `aws configure add-model`, docs/extensions.md). The Query request's names become the
// CLI's: an operation and a member in kebab case, a list (sent as Name.N) under its plural, a structure as
// `Key=Value,…` shorthand, a list of structures (filters) as one shorthand each.
import type { Param } from "../api/client.js";
import type { StepRequest } from "./lesson.js";

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** Quotes a shell word only when it needs it. */
function word(value: string): string {
  return /^[\w@%+=:,./<>-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function shorthand(structure: { [member: string]: Param }): string {
  return Object.entries(structure)
    .filter(([, value]) => value !== undefined)
    .map(([member, value]) => (Array.isArray(value) ? `${member}s=${value.map(String).join(",")}` : `${member}=${String(value)}`))
    .join(",");
}

export function cliCommand(request: StepRequest, endpoint: string): string {
  const service = request.api === "extensions" ? "mini-ec2" : request.api;
  const parts = ["aws", "--endpoint-url", endpoint, service, kebab(request.action)];
  for (const [name, value] of Object.entries(request.params)) {
    if (value === undefined) continue;
    if (value === true && typeof value === "boolean") parts.push(`--${kebab(name)}`);
    else if (value === false) parts.push(`--no-${kebab(name)}`);
    else if (Array.isArray(value)) {
      parts.push(
        `--${kebab(name)}s`,
        ...value.map((item) => word(typeof item === "object" && item !== null ? shorthand(item as Record<string, Param>) : String(item))),
      );
    } else if (typeof value === "object") parts.push(`--${kebab(name)}`, word(shorthand(value)));
    else parts.push(`--${kebab(name)}`, word(String(value)));
  }
  return parts.join(" ");
}
