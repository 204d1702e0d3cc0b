// The networking tables, on the synchronous connection (docs/networking.md): RunInstances creates an instance's
// interface and private address inside its own transaction, so every write here is a plain synchronous function
// that a caller runs inside `sql.write` (its own or the launch's). Reads narrow to one account and region.
import type { Scope } from "../domain/caller.js";
import { housekeeping } from "./write-barrier.js";
import { formatIpv4, parseCidr, usableRange } from "../domain/cidr.js";
import {
  type Address,
  type DefaultNetwork,
  type InternetGateway,
  type NetworkAcl,
  type NetworkInterface,
  type PrivateIp,
  type RouteTable,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
  type Vpc,
  type VpcWithDefaults,
  planDefaultNetwork,
  primaryAddressFirst,
} from "../domain/network.js";
import {
  addressFromRow,
  addressToRow,
  internetGatewayFromRow,
  internetGatewayToRow,
  networkAclFromRow,
  networkAclToRow,
  networkInterfaceFromRow,
  networkInterfaceToRow,
  privateIpFromRow,
  privateIpToRow,
  routeFromRow,
  routeTableAssociationFromRow,
  routeTableAssociationToRow,
  routeTableFromRow,
  routeTableToRow,
  routeToRow,
  securityGroupFromRow,
  securityGroupRuleFromRow,
  securityGroupRuleToRow,
  securityGroupToRow,
  subnetFromRow,
  subnetToRow,
  vpcFromRow,
  vpcToRow,
} from "./rows/network.js";
import { placeholders, type Sql } from "./sql.js";
import { insertTagsSync, tagsByResourceSync } from "./tags-repo.js";

type Raw = Record<string, unknown>;

/** Each networking resource's table, id column and EC2 resource type (for tags and lookups by id). */
export const networkTables = {
  vpc: { table: "Vpc", id: "vpcId", resourceType: "vpc" },
  subnet: { table: "Subnet", id: "subnetId", resourceType: "subnet" },
  sg: { table: "SecurityGroup", id: "groupId", resourceType: "security-group" },
  sgr: { table: "SecurityGroupRule", id: "ruleId", resourceType: "security-group-rule" },
  igw: { table: "InternetGateway", id: "internetGatewayId", resourceType: "internet-gateway" },
  rtb: { table: "RouteTable", id: "routeTableId", resourceType: "route-table" },
  acl: { table: "NetworkAcl", id: "networkAclId", resourceType: "network-acl" },
  eni: { table: "NetworkInterface", id: "networkInterfaceId", resourceType: "network-interface" },
  eipalloc: { table: "Address", id: "allocationId", resourceType: "elastic-ip" },
} as const;
export type NetworkPrefix = keyof typeof networkTables;

export class NetworkRepo {
  constructor(readonly sql: Sql) {}

  // --- the default network ---

  /**
   * The id of the account's default VPC in the region, creating the default network on the region's first use.
   * Undefined when the account deleted its default VPC. Runs inside the caller's write transaction or its own.
   */
  defaultVpcIdSync(scope: Scope, zoneNames: readonly string[], now: Date): string | undefined {
    const known = this.sql.get<{ defaultVpcId: string | null }>(
      'SELECT "defaultVpcId" FROM "AccountNetwork" WHERE "accountId" = ? AND "region" = ?',
      scope.accountId,
      scope.region,
    );
    if (known) return known.defaultVpcId ?? undefined;
    // Every account has its default network from the start in EC2: making it is no change of the request's.
    return housekeeping(() => {
      const network = planDefaultNetwork(scope, zoneNames, now);
      this.insertDefaultNetworkSync(network);
      this.sql.insert("AccountNetwork", { ...scope, defaultVpcId: network.vpc.vpcId });
      return network.vpc.vpcId;
    });
  }

  async defaultVpcId(scope: Scope, zoneNames: readonly string[], now: Date): Promise<string | undefined> {
    const known = this.sql.get<{ defaultVpcId: string | null }>(
      'SELECT "defaultVpcId" FROM "AccountNetwork" WHERE "accountId" = ? AND "region" = ?',
      scope.accountId,
      scope.region,
    );
    if (known) return known.defaultVpcId ?? undefined;
    return housekeeping(() => this.sql.write(() => this.defaultVpcIdSync(scope, zoneNames, now)));
  }

  /** Records which VPC is the default one now (CreateDefaultVpc, DeleteVpc of the default). */
  setDefaultVpcSync(scope: Scope, vpcId: string | undefined): void {
    this.sql.run(
      'INSERT INTO "AccountNetwork" ("accountId", "region", "defaultVpcId") VALUES (?, ?, ?) ON CONFLICT ("accountId", "region") DO UPDATE SET "defaultVpcId" = excluded."defaultVpcId"',
      scope.accountId,
      scope.region,
      vpcId ?? null,
    );
  }

  insertDefaultNetworkSync(network: DefaultNetwork): void {
    this.insertVpcWithDefaultsSync(network);
    for (const subnet of network.subnets) this.insertSubnetSync(subnet);
    this.insertInternetGatewaySync(network.internetGateway);
  }

  // --- inserts (inside a write) ---

  insertVpcWithDefaultsSync(defaults: VpcWithDefaults): void {
    this.sql.insert("Vpc", vpcToRow(defaults.vpc));
    this.tag(defaults.vpc, "vpc", defaults.vpc.vpcId, defaults.vpc.tags);
    this.insertRouteTableSync(defaults.routeTable);
    this.sql.insert("NetworkAcl", networkAclToRow(defaults.networkAcl));
    this.insertSecurityGroupSync(defaults.securityGroup, defaults.securityGroupRules);
  }

  insertSubnetSync(subnet: Subnet): void {
    this.sql.insert("Subnet", subnetToRow(subnet));
    this.tag(subnet, "subnet", subnet.subnetId, subnet.tags);
  }

  insertSecurityGroupSync(group: SecurityGroup, rules: readonly SecurityGroupRule[]): void {
    this.sql.insert("SecurityGroup", securityGroupToRow(group));
    for (const rule of rules) this.sql.insert("SecurityGroupRule", securityGroupRuleToRow(rule));
    this.tag(group, "sg", group.groupId, group.tags);
  }

  insertInternetGatewaySync(gateway: InternetGateway): void {
    this.sql.insert("InternetGateway", internetGatewayToRow(gateway));
    this.tag(gateway, "igw", gateway.internetGatewayId, gateway.tags);
  }

  insertRouteTableSync(table: RouteTable): void {
    this.sql.insert("RouteTable", routeTableToRow(table));
    for (const route of table.routes) this.sql.insert("Route", routeToRow(route));
    for (const association of table.associations) this.sql.insert("RouteTableAssociation", routeTableAssociationToRow(association));
    this.tag(table, "rtb", table.routeTableId, table.tags);
  }

  /** The interface, its groups and its tags; its addresses come from allocatePrivateIpSync. */
  insertInterfaceSync(eni: NetworkInterface): void {
    this.sql.insert("NetworkInterface", networkInterfaceToRow(eni));
    for (const groupId of eni.groupIds) this.sql.insert("NetworkInterfaceGroup", { networkInterfaceId: eni.networkInterfaceId, groupId });
    this.tag(eni, "eni", eni.networkInterfaceId, eni.tags);
  }

  insertAddressSync(address: Address): void {
    this.sql.insert("Address", addressToRow(address));
    this.tag(address, "eipalloc", address.allocationId, address.tags);
  }

  /**
   * Takes a private address of the subnet for the interface: the one asked for, or the lowest free one.
   * "taken" when the asked address is in use, "full" when the subnet has none left. The table's primary key
   * (subnet, address) is what keeps two interfaces off one address.
   */
  allocatePrivateIpSync(subnet: Subnet, networkInterfaceId: string, primary: boolean, asked?: number): PrivateIp | "taken" | "full" {
    let addressNumber = asked;
    if (addressNumber === undefined) {
      addressNumber = this.nextFreeSync(subnet);
      if (addressNumber === undefined) return "full";
    } else if (this.sql.get('SELECT 1 FROM "PrivateIpAddress" WHERE "subnetId" = ? AND "addressNumber" = ?', subnet.subnetId, addressNumber)) {
      return "taken";
    }
    const ip: PrivateIp = { subnetId: subnet.subnetId, addressNumber, privateIpAddress: formatIpv4(addressNumber), networkInterfaceId, primary };
    this.sql.insert("PrivateIpAddress", privateIpToRow(ip));
    return ip;
  }

  /**
   * The next free address without reading the subnet's used ones (a launch into a subnet of thousands of addresses
   * must stay cheap): the one above the highest in use, found in the (subnet, address) key; when the top of the
   * subnet is taken, the lowest gap. So freed addresses come back once the subnet has been gone through once
   * (docs/decisions.md).
   */
  private nextFreeSync(subnet: Subnet): number | undefined {
    const { first, last } = usableRange(parseCidr(subnet.cidrBlock)!);
    const top = this.sql.get<{ top: number | null }>('SELECT MAX("addressNumber") AS "top" FROM "PrivateIpAddress" WHERE "subnetId" = ?', subnet.subnetId)?.top;
    if (top === null || top === undefined || top < first) return first;
    if (top < last) return top + 1;
    if (!this.sql.get('SELECT 1 FROM "PrivateIpAddress" WHERE "subnetId" = ? AND "addressNumber" = ?', subnet.subnetId, first)) return first;
    const gap = this.sql.get<{ free: number }>(
      'SELECT p."addressNumber" + 1 AS "free" FROM "PrivateIpAddress" p WHERE p."subnetId" = ? AND p."addressNumber" >= ? AND p."addressNumber" < ? AND NOT EXISTS (SELECT 1 FROM "PrivateIpAddress" q WHERE q."subnetId" = p."subnetId" AND q."addressNumber" = p."addressNumber" + 1) ORDER BY p."addressNumber" LIMIT 1',
      subnet.subnetId,
      first,
      last,
    );
    return gap?.free;
  }

  /** How many addresses of the subnet interfaces hold (DescribeSubnets' AvailableIpAddressCount subtracts them). */
  addressesInUse(subnetIds: readonly string[]): Map<string, number> {
    const counts = new Map<string, number>();
    if (subnetIds.length === 0) return counts;
    for (const row of this.sql.all<{ subnetId: string; used: number }>(
      `SELECT "subnetId", COUNT(*) AS "used" FROM "PrivateIpAddress" WHERE "subnetId" IN (${placeholders(subnetIds.length)}) GROUP BY "subnetId"`,
      ...subnetIds,
    )) {
      counts.set(row.subnetId, row.used);
    }
    return counts;
  }

  // --- reads ---

  vpcs(scope: Scope, ids?: readonly string[]): Vpc[] {
    return this.rows(scope, "vpc", ids).map((raw) => vpcFromRow(raw, []));
  }

  subnets(scope: Scope, ids?: readonly string[]): Subnet[] {
    return this.rows(scope, "subnet", ids).map((raw) => subnetFromRow(raw, []));
  }

  securityGroups(scope: Scope, ids?: readonly string[]): SecurityGroup[] {
    return this.rows(scope, "sg", ids).map((raw) => securityGroupFromRow(raw, []));
  }

  securityGroupRules(groupIds: readonly string[]): SecurityGroupRule[] {
    if (groupIds.length === 0) return [];
    return this.sql
      .all<Raw>(`SELECT * FROM "SecurityGroupRule" WHERE "groupId" IN (${placeholders(groupIds.length)}) ORDER BY "ruleId"`, ...groupIds)
      .map(securityGroupRuleFromRow);
  }

  internetGateways(scope: Scope, ids?: readonly string[]): InternetGateway[] {
    return this.rows(scope, "igw", ids).map((raw) => internetGatewayFromRow(raw, []));
  }

  routeTables(scope: Scope, ids?: readonly string[]): RouteTable[] {
    const tables = this.rows(scope, "rtb", ids);
    const tableIds = tables.map((raw) => raw.routeTableId as string);
    const routes = this.childRows("Route", "routeTableId", tableIds, routeFromRow);
    const associations = this.childRows("RouteTableAssociation", "routeTableId", tableIds, routeTableAssociationFromRow);
    return tables.map((raw) => routeTableFromRow(raw, routes.get(raw.routeTableId as string) ?? [], associations.get(raw.routeTableId as string) ?? [], []));
  }

  networkAcls(scope: Scope, ids?: readonly string[]): NetworkAcl[] {
    return this.rows(scope, "acl", ids).map((raw) => networkAclFromRow(raw, []));
  }

  networkInterfaces(scope: Scope, ids?: readonly string[]): NetworkInterface[] {
    return this.interfacesFrom(this.rows(scope, "eni", ids));
  }

  /** The interfaces attached to these instances, in device-index order. */
  interfacesOfInstances(scope: Scope, instanceIds: readonly string[]): NetworkInterface[] {
    if (instanceIds.length === 0) return [];
    return this.interfacesFrom(
      this.sql.all<Raw>(
        `SELECT * FROM "NetworkInterface" WHERE "accountId" = ? AND "region" = ? AND "instanceId" IN (${placeholders(instanceIds.length)}) ORDER BY "deviceIndex"`,
        scope.accountId,
        scope.region,
        ...instanceIds,
      ),
    );
  }

  addresses(scope: Scope, ids?: readonly string[]): Address[] {
    return this.rows(scope, "eipalloc", ids).map((raw) => addressFromRow(raw, []));
  }

  /** Whether the id names one of the caller's networking resources (CreateTags and DeleteTags). */
  exists(scope: Scope, prefix: NetworkPrefix, id: string): boolean {
    const { table, id: column } = networkTables[prefix];
    return this.sql.get(`SELECT 1 FROM "${table}" WHERE "${column}" = ? AND "accountId" = ? AND "region" = ?`, id, scope.accountId, scope.region) !== undefined;
  }

  /** The tags of the account's DHCP options set in the region (not a row of its own: docs/networking.md). */
  dhcpOptionsTags(scope: Scope, dhcpOptionsId: string) {
    return tagsByResourceSync(this.sql, scope, "dhcp-options", [dhcpOptionsId]).get(dhcpOptionsId) ?? [];
  }

  /** Tags of these resources of one kind, by resource id. */
  tagsOf(scope: Scope, prefix: NetworkPrefix, ids: readonly string[]) {
    return tagsByResourceSync(this.sql, scope, networkTables[prefix].resourceType, ids);
  }

  private interfacesFrom(rows: Raw[]): NetworkInterface[] {
    const ids = rows.map((raw) => raw.networkInterfaceId as string);
    const groups = this.childRows("NetworkInterfaceGroup", "networkInterfaceId", ids, (raw) => raw.groupId as string);
    const ips = this.childRows("PrivateIpAddress", "networkInterfaceId", ids, privateIpFromRow);
    return rows.map((raw) => {
      const id = raw.networkInterfaceId as string;
      return networkInterfaceFromRow(raw, groups.get(id) ?? [], (ips.get(id) ?? []).sort(primaryAddressFirst), []);
    });
  }

  private rows(scope: Scope, prefix: NetworkPrefix, ids?: readonly string[]): Raw[] {
    const { table, id } = networkTables[prefix];
    const byId = ids && ids.length > 0 ? ` AND "${id}" IN (${placeholders(ids.length)})` : "";
    return this.sql.all<Raw>(
      `SELECT * FROM "${table}" WHERE "accountId" = ? AND "region" = ?${byId} ORDER BY "${id}"`,
      scope.accountId,
      scope.region,
      ...(ids && ids.length > 0 ? ids : []),
    );
  }

  private childRows<T>(table: string, parent: string, parentIds: readonly string[], decode: (raw: Raw) => T): Map<string, T[]> {
    const byParent = new Map<string, T[]>();
    if (parentIds.length === 0) return byParent;
    for (const raw of this.sql.all<Raw>(`SELECT * FROM "${table}" WHERE "${parent}" IN (${placeholders(parentIds.length)})`, ...parentIds)) {
      const key = raw[parent] as string;
      const list = byParent.get(key) ?? [];
      list.push(decode(raw));
      byParent.set(key, list);
    }
    return byParent;
  }

  private tag(scope: Scope, prefix: NetworkPrefix, resourceId: string, tags: readonly { Key: string; Value: string }[]): void {
    if (tags.length > 0) insertTagsSync(this.sql, { resourceId, resourceType: networkTables[prefix].resourceType, ...scopeOf(scope) }, tags);
  }
}

function scopeOf(scope: Scope): Scope {
  return { accountId: scope.accountId, region: scope.region };
}
