// Security groups and their rules as EC2 defines them (docs/networking.md): the names and descriptions EC2
// accepts, an IpPermission read into one rule per source or destination, what makes two rules the same, EC2's
// words for a rule, and the per-group rule limit. Pure: the service resolves referenced groups and stores rules.
import { isIPv6 } from "node:net";
import { parseCidr } from "./cidr.js";
import { Errors } from "./errors.js";
import type { SecurityGroupRule } from "./network.js";

/** An IpPermission as the wire gives it (the SDK's IpPermission fits it). */
export interface PermissionInput {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: ReadonlyArray<{ CidrIp?: string; Description?: string }>;
  Ipv6Ranges?: ReadonlyArray<{ CidrIpv6?: string; Description?: string }>;
  UserIdGroupPairs?: ReadonlyArray<{ GroupId?: string; GroupName?: string; UserId?: string; Description?: string }>;
  PrefixListIds?: ReadonlyArray<{ PrefixListId?: string; Description?: string }>;
}

/** A group a rule names as its source or destination, as asked: by id, or by name in the rule's VPC. */
export interface GroupReference {
  groupId?: string;
  groupName?: string;
  userId?: string;
}

/** One rule before it has an id or a group: a protocol, ports, and one peer. */
export interface RuleSpec {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroup?: GroupReference;
  description?: string;
}

/** EC2's limit, in each direction and separately for IPv4 and IPv6 peers (a group or prefix list counts in both). */
export const maxRulesPerDirection = 60;

// EC2's characters for a VPC group's name and description, and for a rule's description.
const allowedText = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const allowedCharacters = "Valid characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*, at most 255 of them.";

export function validateGroupName(name: string): void {
  if (name.length === 0) throw Errors.missingParameter("GroupName");
  if (name.length > 255 || !allowedText.test(name)) throw Errors.groupNameInvalid("GroupName", name, allowedCharacters);
  if (name.toLowerCase().startsWith("sg-")) throw Errors.groupNameLooksLikeId(name);
  if (name === "default") throw Errors.groupNameReserved(name);
}

export function validateGroupDescription(description: string): void {
  if (description.length === 0) throw Errors.missingParameter("GroupDescription");
  if (description.length > 255 || !allowedText.test(description)) throw Errors.groupNameInvalid("GroupDescription", description, allowedCharacters);
}

export function validateRuleDescription(description: string | undefined): void {
  if (description !== undefined && (description.length > 255 || !allowedText.test(description))) throw Errors.ruleDescriptionInvalid();
}

/** EC2 keeps the well-known protocols by name, whatever case or number they came as, and -1 for all. */
const protocolNames: Record<string, string> = {
  "-1": "-1",
  all: "-1",
  tcp: "tcp",
  "6": "tcp",
  udp: "udp",
  "17": "udp",
  icmp: "icmp",
  "1": "icmp",
  icmpv6: "icmpv6",
  "58": "icmpv6",
};

export function normalizeProtocol(raw: string | undefined): string {
  if (raw === undefined || raw === "") throw Errors.protocolMissing();
  const known = protocolNames[raw.toLowerCase()];
  if (known) return known;
  if (/^\d{1,3}$/.test(raw) && Number(raw) <= 255) return String(Number(raw));
  throw Errors.protocolUnknown(raw);
}

/** The ports a rule keeps: TCP and UDP a range, ICMP a type and code (-1 = all), every other protocol none. */
export function portsOf(protocol: string, fromPort: number | undefined, toPort: number | undefined): { fromPort?: number; toPort?: number } {
  if (protocol === "tcp" || protocol === "udp") {
    if (fromPort === undefined || toPort === undefined) throw Errors.portRangeMissing("TCP/UDP");
    for (const port of [fromPort, toPort]) if (port < 0 || port > 65535) throw Errors.portOutOfRange("TCP/UDP port", port);
    if (fromPort > toPort) throw Errors.portRangeReversed(fromPort, toPort);
    return { fromPort, toPort };
  }
  if (protocol === "icmp" || protocol === "icmpv6") {
    // ICMPv6 may leave them out (all types and codes); ICMP must name both.
    if (fromPort === undefined || toPort === undefined) {
      if (protocol === "icmp") throw Errors.portRangeMissing("ICMP");
      return { fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
    }
    const family = protocol === "icmp" ? "ICMP" : "ICMPv6";
    if (fromPort < -1 || fromPort > 255) throw Errors.portOutOfRange(`${family} type`, fromPort);
    if (toPort < -1 || toPort > 255) throw Errors.portOutOfRange(`${family} code`, toPort);
    return { fromPort, toPort };
  }
  return {};
}

function checkCidrIpv4(cidr: string | undefined): string {
  if (cidr === undefined || parseCidr(cidr) === undefined) throw Errors.cidrInvalid("cidrIp", cidr ?? "");
  return cidr;
}

function checkCidrIpv6(cidr: string | undefined): string {
  const [address, prefix, extra] = (cidr ?? "").split("/");
  if (extra !== undefined || !address || !isIPv6(address) || !prefix || !/^\d{1,3}$/.test(prefix) || Number(prefix) > 128) {
    throw Errors.cidrInvalid("cidrIpv6", cidr ?? "");
  }
  return cidr!.toLowerCase();
}

function checkPrefixListId(id: string | undefined): string {
  if (id === undefined || !/^pl-[0-9a-f]{8,17}$/.test(id)) throw Errors.prefixListMalformed(id ?? "");
  return id;
}

/** The rules a list of IpPermissions asks for, one per peer, checked as EC2 checks them. */
export function rulesOfPermissions(permissions: readonly PermissionInput[]): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const permission of permissions) {
    const ipProtocol = normalizeProtocol(permission.IpProtocol);
    const ports = portsOf(ipProtocol, permission.FromPort, permission.ToPort);
    const base = { ipProtocol, ...ports };
    const peers: RuleSpec[] = [
      ...(permission.IpRanges ?? []).map((range) => ({ ...base, cidrIpv4: checkCidrIpv4(range.CidrIp), description: range.Description })),
      ...(permission.Ipv6Ranges ?? []).map((range) => ({ ...base, cidrIpv6: checkCidrIpv6(range.CidrIpv6), description: range.Description })),
      ...(permission.PrefixListIds ?? []).map((list) => ({ ...base, prefixListId: checkPrefixListId(list.PrefixListId), description: list.Description })),
      ...(permission.UserIdGroupPairs ?? []).map((pair) => {
        if (!pair.GroupId && !pair.GroupName) throw Errors.missingParameter("GroupId");
        const reference: GroupReference = { groupId: pair.GroupId, groupName: pair.GroupId ? undefined : pair.GroupName, userId: pair.UserId };
        return { ...base, referencedGroup: reference, description: pair.Description };
      }),
    ];
    if (peers.length === 0) throw Errors.permissionWithoutPeer();
    for (const peer of peers) {
      validateRuleDescription(peer.description);
      if (peer.description === undefined) delete peer.description;
    }
    specs.push(...peers);
  }
  return specs;
}

/** What makes two rules of a group the same rule: direction, protocol, ports and peer; never the description. */
export function ruleKey(rule: Omit<SecurityGroupRule, "ruleId" | "groupId" | "accountId" | "region">): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId ?? "";
  return [rule.isEgress ? "out" : "in", rule.ipProtocol, rule.fromPort ?? "", rule.toPort ?? "", peer].join("|");
}

/** EC2's words for a rule in InvalidPermission.Duplicate: peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW. */
export function describeRule(
  rule: Pick<SecurityGroupRule, "ipProtocol" | "fromPort" | "toPort" | "cidrIpv4" | "cidrIpv6" | "prefixListId" | "referencedGroupId">,
): string {
  const peer = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? rule.referencedGroupId;
  let protocol: string;
  if (rule.ipProtocol === "-1") protocol = "ALL";
  else if (rule.ipProtocol === "tcp" || rule.ipProtocol === "udp")
    protocol = `${rule.ipProtocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}`;
  else if (rule.ipProtocol === "icmp" || rule.ipProtocol === "icmpv6")
    protocol = `${rule.ipProtocol.toUpperCase()}, type: ${rule.fromPort}, code: ${rule.toPort}`;
  else protocol = `protocol: ${rule.ipProtocol}`;
  return `peer: ${peer}, ${protocol}, ALLOW`;
}

/** Whether the group's rules in one direction stay within EC2's limit (60 with an IPv4 peer, 60 with an IPv6 one). */
export function withinRuleLimit(rules: readonly SecurityGroupRule[], isEgress: boolean): boolean {
  const direction = rules.filter((rule) => rule.isEgress === isEgress);
  const ipv4 = direction.filter((rule) => rule.cidrIpv6 === undefined).length;
  const ipv6 = direction.filter((rule) => rule.cidrIpv4 === undefined).length;
  return ipv4 <= maxRulesPerDirection && ipv6 <= maxRulesPerDirection;
}

/** EC2's default egress rule of every new group: all traffic to anywhere. */
export const defaultEgress: RuleSpec = { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" };

export const securityGroupArn = (region: string, accountId: string, groupId: string) => `arn:aws:ec2:${region}:${accountId}:security-group/${groupId}`;
export const securityGroupRuleArn = (region: string, accountId: string, ruleId: string) => `arn:aws:ec2:${region}:${accountId}:security-group-rule/${ruleId}`;
