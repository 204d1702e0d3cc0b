// EC2's rules for VPCs, subnets, gateways and route tables (docs/networking.md): which blocks a VPC and a subnet
// may have, where a subnet goes when no zone is named, and the derived facts EC2 shows without storing them
// (the DHCP options set, the CIDR block association, the ACL associations, a route's state). Pure.
import { createHash } from "node:crypto";
import type { Scope } from "./caller.js";
import { containsBlock, type Ipv4Block, isNetworkAddress, overlaps, parseCidr } from "./cidr.js";
import { Errors } from "./errors.js";
import type { InternetGateway, Route, Subnet } from "./network.js";
import type { Tag } from "./tags.js";

/** EC2's bounds on a VPC's and a subnet's IPv4 block: /16 (65,536 addresses) to /28 (16). */
const smallestPrefix = 16;
const largestPrefix = 28;

/** The block of a text EC2 accepts as a network's CIDR: dotted, a prefix, no host bits set. */
function networkBlock(cidr: string): Ipv4Block {
  const block = parseCidr(cidr);
  if (!block || !isNetworkAddress(cidr)) throw Errors.cidrMalformed(cidr);
  return block;
}

export function vpcBlock(cidr: string): Ipv4Block {
  const block = networkBlock(cidr);
  if (block.prefixLength < smallestPrefix || block.prefixLength > largestPrefix) throw Errors.vpcRange(cidr);
  return block;
}

/** The subnet's block, inside its VPC's, /16 to /28, overlapping none of its siblings. */
export function subnetBlock(cidr: string, vpcCidr: string, siblings: readonly Subnet[]): Ipv4Block {
  const block = networkBlock(cidr);
  if (block.prefixLength < smallestPrefix || block.prefixLength > largestPrefix || !containsBlock(parseCidr(vpcCidr)!, block)) {
    throw Errors.subnetRange(cidr, vpcCidr);
  }
  if (siblings.some((sibling) => overlaps(parseCidr(sibling.cidrBlock)!, block))) throw Errors.subnetConflict(cidr);
  return block;
}

/**
 * The zone of a subnet made without one. EC2 picks "one for you" and does not say how; mini-ec2 takes the zone of
 * the region holding the fewest of the VPC's subnets, the first in zone order on a tie, so that subnets made one
 * after another spread over the zones (docs/decisions.md).
 */
export function zoneForNewSubnet(zoneNames: readonly string[], siblings: readonly Subnet[]): string {
  const count = (zone: string) => siblings.filter((subnet) => subnet.availabilityZone === zone).length;
  return zoneNames.reduce((best, zone) => (count(zone) < count(best) ? zone : best), zoneNames[0]!);
}

/** A subnet's free addresses: its size, minus EC2's five reserved, minus what interfaces hold. */
export function availableIpAddressCount(cidr: string, inUse: number): number {
  return parseCidr(cidr)!.size - 5 - inUse;
}

export function subnetArn(subnet: Subnet): string {
  return `arn:aws:ec2:${subnet.region}:${subnet.accountId}:subnet/${subnet.subnetId}`;
}

/** The hex part of an EC2 id (vpc-0abc… -> 0abc…). */
function idHex(id: string): string {
  return id.slice(id.lastIndexOf("-") + 1);
}

/**
 * Every VPC of an account in a region uses the region's default DHCP options set, as in a new EC2 account (the
 * options themselves are not modelled). Its id is derived from the account and region, so it never changes.
 */
export function dhcpOptionsIdFor(scope: Scope): string {
  return `dopt-${createHash("sha256").update(`${scope.accountId}/${scope.region}`).digest("hex").slice(0, 17)}`;
}

export interface DhcpOptions extends Scope {
  dhcpOptionsId: string;
  configurations: Array<{ key: string; values: string[] }>;
  tags: Tag[];
}

/**
 * The region's default DHCP options set, the one every VPC uses: Amazon's DNS server and the region's internal
 * domain, as EC2 creates it for a new account (ec2.internal in us-east-1, <region>.compute.internal elsewhere).
 */
export function defaultDhcpOptions(scope: Scope): DhcpOptions {
  const domainName = scope.region === "us-east-1" ? "ec2.internal" : `${scope.region}.compute.internal`;
  return {
    accountId: scope.accountId,
    region: scope.region,
    dhcpOptionsId: dhcpOptionsIdFor(scope),
    configurations: [
      { key: "domain-name", values: [domainName] },
      { key: "domain-name-servers", values: ["AmazonProvidedDNS"] },
    ],
    tags: [],
  };
}

/** The association of a VPC's one IPv4 block, derived from the VPC's id (stable; not stored). */
export function cidrBlockAssociationId(vpcId: string): string {
  return `vpc-cidr-assoc-${idHex(vpcId)}`;
}

/** Each subnet is associated with its VPC's default ACL; the association's id is derived from the subnet's. */
export function aclAssociationId(subnetId: string): string {
  return `aclassoc-${idHex(subnetId)}`;
}

/** A route through a gateway that is no longer attached to the table's VPC is a blackhole, as in EC2. */
export function routeState(route: Route, vpcId: string, gateways: ReadonlyMap<string, InternetGateway>): "active" | "blackhole" {
  if (!route.gatewayId || route.gatewayId === "local") return "active";
  return gateways.get(route.gatewayId)?.vpcId === vpcId ? "active" : "blackhole";
}

/** What DescribeAccountAttributes answers (docs/networking.md): EC2's defaults for a new account. */
export function accountAttributes(defaultVpcId: string | undefined): Array<{ name: string; values: string[] }> {
  return [
    { name: "supported-platforms", values: ["VPC"] },
    { name: "vpc-max-security-groups-per-interface", values: ["5"] },
    { name: "max-elastic-ips", values: ["5"] },
    { name: "max-instances", values: ["20"] },
    { name: "vpc-max-elastic-ips", values: ["5"] },
    { name: "default-vpc", values: [defaultVpcId ?? "none"] },
  ];
}
