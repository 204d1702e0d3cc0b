// EC2-shaped identifiers, made in one place: a prefix and 17 lowercase hex digits (i-0123456789abcdef0).
import { randomBytes } from "node:crypto";

export type IdPrefix =
  | "i"
  | "r"
  | "ami"
  | "aki"
  | "ari"
  | "vol"
  | "snap"
  | "h"
  | "key"
  | "pg"
  | "import-ami"
  | "nitro-mig"
  | "lt"
  // live migrations (docs/migration.md)
  | "mig"
  | "instance-event"
  // networking (docs/networking.md)
  | "vpc"
  | "subnet"
  | "sg"
  | "sgr"
  | "igw"
  | "rtb"
  | "rtbassoc"
  | "acl"
  | "dopt"
  | "aclassoc"
  | "eni"
  | "eni-attach"
  | "eipalloc"
  | "eipassoc";

export function newId(prefix: IdPrefix): string {
  return `${prefix}-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

/** An id of one of these kinds, in EC2's old (8 hex digits) or current (17) form. */
export function isWellFormedId(id: string, ...prefixes: IdPrefix[]): boolean {
  // The last dash: a prefix may have one of its own (import-ami).
  const dash = id.lastIndexOf("-");
  return prefixes.includes(id.slice(0, dash) as IdPrefix) && /^([0-9a-f]{8}|[0-9a-f]{17})$/.test(id.slice(dash + 1));
}
