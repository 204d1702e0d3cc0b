// The writes of VPCs, subnets, internet gateways and route tables, and the dependency counts their deletes check,
// on the synchronous connection beside NetworkRepo (which inserts and reads them). Every method is a plain
// synchronous statement or group meant to run inside the caller's `sql.write`, so checks and writes are one
// transaction.
import type { Route, RouteTableAssociation } from "../domain/network.js";
import { routeTableAssociationFromRow, routeTableAssociationToRow, routeToRow } from "./rows/network.js";
import type { Sql } from "./sql.js";
import { deleteTagsSync } from "./tags-repo.js";

/** What stops a VPC's delete, as EC2 counts it. */
export interface VpcDependents {
  subnets: number;
  gateways: number;
  /** Security groups other than the VPC's default one. */
  groups: number;
  /** Route tables other than the main one. */
  routeTables: number;
  interfaces: number;
}

export class VpcTopologyRepo {
  constructor(private readonly sql: Sql) {}

  // --- VPCs ---

  vpcDependents(vpcId: string): VpcDependents {
    const count = (query: string) => this.sql.get<{ n: number }>(query, vpcId)!.n;
    return {
      subnets: count('SELECT COUNT(*) AS "n" FROM "Subnet" WHERE "vpcId" = ?'),
      gateways: count('SELECT COUNT(*) AS "n" FROM "InternetGateway" WHERE "vpcId" = ?'),
      groups: count(`SELECT COUNT(*) AS "n" FROM "SecurityGroup" WHERE "vpcId" = ? AND "groupName" <> 'default'`),
      routeTables: count(
        'SELECT COUNT(*) AS "n" FROM "RouteTable" AS t WHERE t."vpcId" = ? AND NOT EXISTS (SELECT 1 FROM "RouteTableAssociation" AS a WHERE a."routeTableId" = t."routeTableId" AND a."main" = 1)',
      ),
      interfaces: count('SELECT COUNT(*) AS "n" FROM "NetworkInterface" WHERE "vpcId" = ?'),
    };
  }

  /** The VPC and what came with it: its main route table, its default ACL and its default group, with their tags. */
  deleteVpcSync(region: string, vpcId: string): void {
    for (const { routeTableId } of this.sql.all<{ routeTableId: string }>('SELECT "routeTableId" FROM "RouteTable" WHERE "vpcId" = ?', vpcId)) {
      this.deleteRouteTableSync(region, routeTableId);
    }
    for (const { networkAclId } of this.sql.all<{ networkAclId: string }>('SELECT "networkAclId" FROM "NetworkAcl" WHERE "vpcId" = ?', vpcId)) {
      this.sql.run('DELETE FROM "NetworkAcl" WHERE "networkAclId" = ?', networkAclId);
      deleteTagsSync(this.sql, region, networkAclId);
    }
    for (const { groupId } of this.sql.all<{ groupId: string }>('SELECT "groupId" FROM "SecurityGroup" WHERE "vpcId" = ?', vpcId)) {
      this.sql.run('DELETE FROM "SecurityGroupRule" WHERE "groupId" = ?', groupId);
      this.sql.run('DELETE FROM "SecurityGroup" WHERE "groupId" = ?', groupId);
      deleteTagsSync(this.sql, region, groupId);
    }
    this.sql.run('DELETE FROM "Vpc" WHERE "vpcId" = ?', vpcId);
    deleteTagsSync(this.sql, region, vpcId);
  }

  setVpcAttributeSync(vpcId: string, attribute: "enableDnsSupport" | "enableDnsHostnames", value: boolean): void {
    this.sql.run(`UPDATE "Vpc" SET "${attribute}" = ? WHERE "vpcId" = ?`, value, vpcId);
  }

  // --- subnets ---

  interfacesInSubnet(subnetId: string): number {
    return this.sql.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "NetworkInterface" WHERE "subnetId" = ?', subnetId)!.n;
  }

  /** The subnet, its explicit route table association and its tags. */
  deleteSubnetSync(region: string, subnetId: string): void {
    this.sql.run('DELETE FROM "RouteTableAssociation" WHERE "subnetId" = ?', subnetId);
    this.sql.run('DELETE FROM "Subnet" WHERE "subnetId" = ?', subnetId);
    deleteTagsSync(this.sql, region, subnetId);
  }

  setMapPublicIpOnLaunchSync(subnetId: string, value: boolean): void {
    this.sql.run('UPDATE "Subnet" SET "mapPublicIpOnLaunch" = ? WHERE "subnetId" = ?', value, subnetId);
  }

  // --- internet gateways ---

  setGatewayVpcSync(internetGatewayId: string, vpcId: string | undefined): void {
    this.sql.run('UPDATE "InternetGateway" SET "vpcId" = ? WHERE "internetGatewayId" = ?', vpcId ?? null, internetGatewayId);
  }

  /**
   * Whether the VPC holds a public address a detach would strand: an Elastic IP associated with one of its
   * interfaces, or an instance of the VPC that shows an auto-assigned public IP (pending or running, launched with
   * one: domain/instance-network.ts publicIpOf).
   */
  hasMappedPublicAddresses(accountId: string, region: string, vpcId: string): boolean {
    const elasticIp = this.sql.get(
      'SELECT 1 FROM "Address" AS a JOIN "NetworkInterface" AS n ON n."networkInterfaceId" = a."networkInterfaceId" WHERE n."vpcId" = ? LIMIT 1',
      vpcId,
    );
    if (elasticIp) return true;
    const publicInstance = this.sql.get(
      `SELECT 1 FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "vpcId" = ? AND "state" IN ('pending', 'running') AND json_extract("options", '$.publicIpOnLaunch') = 1 LIMIT 1`,
      accountId,
      region,
      vpcId,
    );
    return publicInstance !== undefined;
  }

  deleteGatewaySync(region: string, internetGatewayId: string): void {
    this.sql.run('DELETE FROM "InternetGateway" WHERE "internetGatewayId" = ?', internetGatewayId);
    deleteTagsSync(this.sql, region, internetGatewayId);
  }

  // --- route tables ---

  deleteRouteTableSync(region: string, routeTableId: string): void {
    this.sql.run('DELETE FROM "Route" WHERE "routeTableId" = ?', routeTableId);
    this.sql.run('DELETE FROM "RouteTableAssociation" WHERE "routeTableId" = ?', routeTableId);
    this.sql.run('DELETE FROM "RouteTable" WHERE "routeTableId" = ?', routeTableId);
    deleteTagsSync(this.sql, region, routeTableId);
  }

  insertRouteSync(route: Route): void {
    this.sql.insert("Route", routeToRow(route));
  }

  /** Replaces the route's target (ReplaceRoute): the other targets are cleared. */
  replaceRouteSync(route: Route): void {
    this.sql.run(
      'UPDATE "Route" SET "gatewayId" = ?, "networkInterfaceId" = ?, "instanceId" = ? WHERE "routeTableId" = ? AND "destinationCidrBlock" = ?',
      route.gatewayId ?? null,
      route.networkInterfaceId ?? null,
      route.instanceId ?? null,
      route.routeTableId,
      route.destinationCidrBlock,
    );
  }

  deleteRouteSync(routeTableId: string, destinationCidrBlock: string): void {
    this.sql.run('DELETE FROM "Route" WHERE "routeTableId" = ? AND "destinationCidrBlock" = ?', routeTableId, destinationCidrBlock);
  }

  /** The association with this id, in any table (the caller checks the table's owner). */
  association(associationId: string): RouteTableAssociation | undefined {
    const row = this.sql.get<Record<string, unknown>>('SELECT * FROM "RouteTableAssociation" WHERE "associationId" = ?', associationId);
    return row ? routeTableAssociationFromRow(row) : undefined;
  }

  insertAssociationSync(association: RouteTableAssociation): void {
    this.sql.insert("RouteTableAssociation", routeTableAssociationToRow(association));
  }

  deleteAssociationSync(associationId: string): void {
    this.sql.run('DELETE FROM "RouteTableAssociation" WHERE "associationId" = ?', associationId);
  }
}
