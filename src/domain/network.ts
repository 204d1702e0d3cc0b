// The network every instance lives in, as EC2 defines it (docs/networking.md): VPCs, subnets, security groups and
// their rules, internet gateways, route tables, network ACLs, network interfaces and Elastic IPs. Pure types and
// the plan of an account's default network; the store keeps them, the services apply the rules.
import type { Scope } from "./caller.js";
import { type Ipv4Block, formatCidr, formatIpv4, parseCidr } from "./cidr.js";
import { newId } from "./ids.js";
import type { Tag } from "./tags.js";

export interface Vpc extends Scope {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  instanceTenancy: "default" | "dedicated";
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  createdAt: Date;
  tags: Tag[];
}

export interface Subnet extends Scope {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  createdAt: Date;
  tags: Tag[];
}

export interface SecurityGroup extends Scope {
  groupId: string;
  vpcId: string;
  groupName: string;
  description: string;
  createdAt: Date;
  tags: Tag[];
}

/** One rule: a protocol and port range, and one source (ingress) or destination (egress). */
export interface SecurityGroupRule extends Scope {
  ruleId: string;
  groupId: string;
  isEgress: boolean;
  /** "-1" (all), "tcp", "udp", "icmp", "icmpv6" or a protocol number, as EC2 keeps it. */
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  description?: string;
}

export interface InternetGateway extends Scope {
  internetGatewayId: string;
  vpcId?: string;
  createdAt: Date;
  tags: Tag[];
}

export interface Route {
  routeTableId: string;
  destinationCidrBlock: string;
  gatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
  origin: "CreateRouteTable" | "CreateRoute";
}

export interface RouteTableAssociation {
  associationId: string;
  routeTableId: string;
  subnetId?: string;
  main: boolean;
}

export interface RouteTable extends Scope {
  routeTableId: string;
  vpcId: string;
  createdAt: Date;
  routes: Route[];
  associations: RouteTableAssociation[];
  tags: Tag[];
}

export interface NetworkAclEntry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  ruleAction: "allow" | "deny";
  cidrBlock: string;
}

export interface NetworkAcl extends Scope {
  networkAclId: string;
  vpcId: string;
  isDefault: boolean;
  entries: NetworkAclEntry[];
  tags: Tag[];
}

export interface PrivateIp {
  subnetId: string;
  addressNumber: number;
  privateIpAddress: string;
  networkInterfaceId: string;
  primary: boolean;
}

/** An interface's addresses as EC2 lists them: the primary first, then the secondary ones in address order. */
export const primaryAddressFirst = (a: PrivateIp, b: PrivateIp) => Number(b.primary) - Number(a.primary) || a.addressNumber - b.addressNumber;

export interface NetworkInterfaceAttachment {
  instanceId: string;
  attachmentId: string;
  deviceIndex: number;
  networkCardIndex: number;
  attachedAt: Date;
  deleteOnTermination: boolean;
}

export interface NetworkInterface extends Scope {
  networkInterfaceId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  description: string;
  /** "interface" or "efa", as EC2 names them. */
  interfaceType: string;
  macAddress: string;
  sourceDestCheck: boolean;
  createdAt: Date;
  attachment?: NetworkInterfaceAttachment;
  groupIds: string[];
  privateIps: PrivateIp[];
  tags: Tag[];
}

export interface Address extends Scope {
  allocationId: string;
  publicIp: string;
  domain: "vpc";
  createdAt: Date;
  associationId?: string;
  networkInterfaceId?: string;
  privateIpAddress?: string;
  tags: Tag[];
}

/** The default VPC's block and the size of each zone's default subnet (EC2: 172.31.0.0/16, a /20 per zone). */
export const defaultVpcCidr = "172.31.0.0/16";
const defaultSubnetPrefix = 20;

/** EC2's default network ACL: everything allowed (rule 100), everything else denied (rule 32767, shown as *). */
export const defaultAclEntries: NetworkAclEntry[] = [false, true].flatMap((egress) => [
  { ruleNumber: 100, egress, protocol: "-1", ruleAction: "allow" as const, cidrBlock: "0.0.0.0/0" },
  { ruleNumber: 32767, egress, protocol: "-1", ruleAction: "deny" as const, cidrBlock: "0.0.0.0/0" },
]);

/** What a new VPC comes with in EC2: a main route table with the local route, a default ACL and a default group. */
export interface VpcWithDefaults {
  vpc: Vpc;
  routeTable: RouteTable;
  networkAcl: NetworkAcl;
  securityGroup: SecurityGroup;
  securityGroupRules: SecurityGroupRule[];
}

export function newVpcWithDefaults(
  owner: Scope,
  input: { cidrBlock: string; isDefault: boolean; instanceTenancy: Vpc["instanceTenancy"]; tags: Tag[] },
  now: Date,
): VpcWithDefaults {
  // Only the account and region: a Caller passed here carries its access key too, which is no column.
  const scope: Scope = { accountId: owner.accountId, region: owner.region };
  const vpcId = newId("vpc");
  const vpc: Vpc = {
    ...scope,
    vpcId,
    cidrBlock: input.cidrBlock,
    isDefault: input.isDefault,
    instanceTenancy: input.instanceTenancy,
    enableDnsSupport: true,
    // EC2 turns DNS hostnames on in the default VPC only.
    enableDnsHostnames: input.isDefault,
    createdAt: now,
    tags: input.tags,
  };
  const routeTableId = newId("rtb");
  const routeTable: RouteTable = {
    ...scope,
    routeTableId,
    vpcId,
    createdAt: now,
    routes: [{ routeTableId, destinationCidrBlock: input.cidrBlock, gatewayId: "local", origin: "CreateRouteTable" }],
    associations: [{ associationId: newId("rtbassoc"), routeTableId, main: true }],
    tags: [],
  };
  const networkAcl: NetworkAcl = { ...scope, networkAclId: newId("acl"), vpcId, isDefault: true, entries: defaultAclEntries, tags: [] };
  const groupId = newId("sg");
  const securityGroup: SecurityGroup = {
    ...scope,
    groupId,
    vpcId,
    groupName: "default",
    description: "default VPC security group",
    createdAt: now,
    tags: [],
  };
  // The default group lets in everything from its own members and lets everything out.
  const securityGroupRules: SecurityGroupRule[] = [
    { ...scope, ruleId: newId("sgr"), groupId, isEgress: false, ipProtocol: "-1", referencedGroupId: groupId },
    { ...scope, ruleId: newId("sgr"), groupId, isEgress: true, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
  ];
  return { vpc, routeTable, networkAcl, securityGroup, securityGroupRules };
}

/** An account's default network in a region: the default VPC, a default subnet per zone and an attached gateway. */
export interface DefaultNetwork extends VpcWithDefaults {
  subnets: Subnet[];
  internetGateway: InternetGateway;
}

export function planDefaultNetwork(owner: Scope, zoneNames: readonly string[], now: Date): DefaultNetwork {
  const scope: Scope = { accountId: owner.accountId, region: owner.region };
  const defaults = newVpcWithDefaults(scope, { cidrBlock: defaultVpcCidr, isDefault: true, instanceTenancy: "default", tags: [] }, now);
  const vpcBlock = parseCidr(defaultVpcCidr)!;
  const subnetSize = 2 ** (32 - defaultSubnetPrefix);
  const subnets = zoneNames.map(
    (zone, index): Subnet => ({
      ...scope,
      subnetId: newId("subnet"),
      vpcId: defaults.vpc.vpcId,
      cidrBlock: formatCidr({ base: vpcBlock.base + index * subnetSize, prefixLength: defaultSubnetPrefix, size: subnetSize }),
      availabilityZone: zone,
      defaultForAz: true,
      mapPublicIpOnLaunch: true,
      createdAt: now,
      tags: [],
    }),
  );
  const internetGateway: InternetGateway = { ...scope, internetGatewayId: newId("igw"), vpcId: defaults.vpc.vpcId, createdAt: now, tags: [] };
  defaults.routeTable.routes.push({
    routeTableId: defaults.routeTable.routeTableId,
    destinationCidrBlock: "0.0.0.0/0",
    gatewayId: internetGateway.internetGatewayId,
    origin: "CreateRoute",
  });
  return { ...defaults, subnets, internetGateway };
}

/** EC2's private DNS name of an address: ip-172-31-5-9.ec2.internal in us-east-1, ip-….<region>.compute.internal elsewhere. */
export function privateDnsName(region: string, privateIp: string): string {
  const host = `ip-${privateIp.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** EC2's public DNS name of a public address. */
export function publicDnsName(region: string, publicIp: string): string {
  const host = `ec2-${publicIp.replace(/\./g, "-")}`;
  return region === "us-east-1" ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** A locally administered unicast MAC address (02:…), as EC2's interfaces have, derived from the interface id. */
export function macAddressFor(networkInterfaceId: string): string {
  const hex = networkInterfaceId.slice(networkInterfaceId.lastIndexOf("-") + 1).padEnd(10, "0");
  return ["02", hex.slice(0, 2), hex.slice(2, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10)].join(":");
}

/** The lowest usable address of the subnet that `used` (sorted ascending) does not hold, or undefined when full. */
export function nextFreeAddress(subnet: Ipv4Block, usedSorted: readonly number[]): number | undefined {
  let candidate = subnet.base + 4;
  const last = subnet.base + subnet.size - 2;
  for (const used of usedSorted) {
    if (used < candidate) continue;
    if (used > candidate) break;
    candidate++;
  }
  return candidate <= last ? candidate : undefined;
}

export { formatIpv4 };
