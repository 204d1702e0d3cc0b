// Route table use cases: create, describe, delete; routes (create, replace, delete; the local route is fixed);
// associations with subnets (associate, disassociate, replace, which also moves the VPC's main association).
import type { Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { isNetworkAddress } from "../domain/cidr.js";
import { Errors } from "../domain/errors.js";
import { type RouteTableView, routeTableFilters } from "../domain/filters/route-tables.js";
import { newId } from "../domain/ids.js";
import type { Route, RouteTable, RouteTableAssociation } from "../domain/network.js";
import type { Page } from "../domain/pagination.js";
import type { Tag } from "../domain/tags.js";
import { routeState } from "../domain/vpc-rules.js";
import type { NetworkRepo } from "../store/network-repo.js";
import type { VpcTopologyRepo } from "../store/vpc-topology-repo.js";
import type { DefaultNetwork } from "./default-network.js";
import { type DescribeQuery, describePage, findSubnet, findVpc, requireAll, scopeOf, withTags } from "./network-reads.js";

/** Where a route sends traffic: exactly one of these. */
export interface RouteTarget {
  gatewayId?: string;
  networkInterfaceId?: string;
  instanceId?: string;
}

export class RouteTableService {
  constructor(
    private readonly network: NetworkRepo,
    private readonly topologyRepo: VpcTopologyRepo,
    private readonly defaultNetwork: DefaultNetwork,
    private readonly clock: Clock,
  ) {}

  /** A table of the VPC with its local route and no association. */
  async create(caller: Scope, vpcId: string, tags: Tag[]): Promise<RouteTableView> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const table = await this.network.sql.write(() => {
      const vpc = findVpc(this.network, scope, vpcId);
      const routeTableId = newId("rtb");
      const made: RouteTable = {
        ...scope,
        routeTableId,
        vpcId,
        createdAt: this.clock.now(),
        routes: [{ routeTableId, destinationCidrBlock: vpc.cidrBlock, gatewayId: "local", origin: "CreateRouteTable" }],
        associations: [],
        tags,
      };
      this.network.insertRouteTableSync(made);
      return made;
    });
    return { table, routes: table.routes.map((route) => ({ ...route, state: "active" as const })) };
  }

  async describe(caller: Scope, query: DescribeQuery): Promise<Page<RouteTableView>> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    const tables = this.network.routeTables(scope, query.ids);
    requireAll(query.ids, tables, (t) => t.routeTableId, Errors.routeTableNotFound);
    const gateways = new Map(this.network.internetGateways(scope).map((gateway) => [gateway.internetGatewayId, gateway]));
    const views = withTags(this.network, scope, "rtb", tables, (t) => t.routeTableId).map(
      (table): RouteTableView => ({
        table,
        routes: [...table.routes].sort(localFirst).map((route) => ({ ...route, state: routeState(route, table.vpcId, gateways) })),
      }),
    );
    return describePage(views, query, routeTableFilters, (v) => v.table.routeTableId);
  }

  /** Refused for the main table and for a table associated with subnets. */
  async delete(caller: Scope, routeTableId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const table = this.find(scope, routeTableId);
      if (table.associations.length > 0) throw Errors.dependencyViolation("routeTable", routeTableId);
      this.topologyRepo.deleteRouteTableSync(scope.region, routeTableId);
    });
  }

  async createRoute(caller: Scope, routeTableId: string, destinationCidrBlock: string, target: RouteTarget): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    checkDestination(destinationCidrBlock);
    await this.network.sql.write(() => {
      const table = this.find(scope, routeTableId);
      if (table.routes.some((route) => route.destinationCidrBlock === destinationCidrBlock)) throw Errors.routeAlreadyExists(destinationCidrBlock);
      this.topologyRepo.insertRouteSync({ routeTableId, destinationCidrBlock, ...this.resolveTarget(scope, table, target), origin: "CreateRoute" });
    });
  }

  async replaceRoute(caller: Scope, routeTableId: string, destinationCidrBlock: string, target: RouteTarget): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    checkDestination(destinationCidrBlock);
    await this.network.sql.write(() => {
      const table = this.find(scope, routeTableId);
      const route = this.findRoute(table, destinationCidrBlock);
      if (route.gatewayId === "local") throw Errors.localRouteUnreplaceable(destinationCidrBlock, routeTableId);
      this.topologyRepo.replaceRouteSync({
        ...route,
        gatewayId: undefined,
        networkInterfaceId: undefined,
        instanceId: undefined,
        ...this.resolveTarget(scope, table, target),
      });
    });
  }

  async deleteRoute(caller: Scope, routeTableId: string, destinationCidrBlock: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const table = this.find(scope, routeTableId);
      const route = this.findRoute(table, destinationCidrBlock);
      if (route.gatewayId === "local") throw Errors.localRouteUndeletable(destinationCidrBlock, routeTableId);
      this.topologyRepo.deleteRouteSync(routeTableId, destinationCidrBlock);
    });
  }

  /** Associates a subnet of the table's VPC that has no explicit association yet; answers the association's id. */
  async associate(caller: Scope, routeTableId: string, subnetId: string): Promise<string> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    return this.network.sql.write(() => {
      const table = this.find(scope, routeTableId);
      const subnet = findSubnet(this.network, scope, subnetId);
      if (subnet.vpcId !== table.vpcId) throw Errors.differentNetworks(routeTableId, "subnet", subnetId);
      const associated = this.network.routeTables(scope).some((other) => other.associations.some((a) => a.subnetId === subnetId));
      if (associated) throw Errors.associationConflict(routeTableId);
      const association: RouteTableAssociation = { associationId: newId("rtbassoc"), routeTableId, subnetId, main: false };
      this.topologyRepo.insertAssociationSync(association);
      return association.associationId;
    });
  }

  /** Ends a subnet's explicit association: the subnet follows the main table again. */
  async disassociate(caller: Scope, associationId: string): Promise<void> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    await this.network.sql.write(() => {
      const association = this.findAssociation(scope, associationId);
      if (association.main) throw Errors.mainAssociationUndisassociable(associationId);
      this.topologyRepo.deleteAssociationSync(associationId);
    });
  }

  /** Moves an association (a subnet's, or the VPC's main one) to another table of the VPC; answers its new id. */
  async replaceAssociation(caller: Scope, associationId: string, routeTableId: string): Promise<string> {
    const scope = scopeOf(caller);
    await this.defaultNetwork.ensure(scope);
    return this.network.sql.write(() => {
      const association = this.findAssociation(scope, associationId);
      const current = this.find(scope, association.routeTableId);
      const next = this.find(scope, routeTableId);
      if (next.vpcId !== current.vpcId) {
        throw association.subnetId
          ? Errors.differentNetworks(routeTableId, "subnet", association.subnetId)
          : Errors.differentNetworks(routeTableId, "route table", current.routeTableId);
      }
      const moved: RouteTableAssociation = { ...association, associationId: newId("rtbassoc"), routeTableId };
      this.topologyRepo.deleteAssociationSync(associationId);
      this.topologyRepo.insertAssociationSync(moved);
      return moved.associationId;
    });
  }

  private find(scope: Scope, routeTableId: string): RouteTable {
    const table = this.network.routeTables(scope, [routeTableId])[0];
    if (!table) throw Errors.routeTableNotFound(routeTableId);
    return table;
  }

  private findRoute(table: RouteTable, destinationCidrBlock: string): Route {
    const route = table.routes.find((r) => r.destinationCidrBlock === destinationCidrBlock);
    if (!route) throw Errors.routeNotFound(destinationCidrBlock, table.routeTableId);
    return route;
  }

  /** An association of one of the caller's tables; another account's is NotFound. */
  private findAssociation(scope: Scope, associationId: string): RouteTableAssociation {
    const association = this.topologyRepo.association(associationId);
    if (!association || this.network.routeTables(scope, [association.routeTableId]).length === 0) throw Errors.associationNotFound(associationId);
    return association;
  }

  /** The route's target, checked: a gateway attached to the table's VPC, or an interface (an instance's primary one) in it. */
  private resolveTarget(scope: Scope, table: RouteTable, target: RouteTarget): Pick<Route, "gatewayId" | "networkInterfaceId" | "instanceId"> {
    const named = [target.gatewayId, target.networkInterfaceId, target.instanceId].filter((value) => value !== undefined);
    if (named.length !== 1) throw Errors.routeTargetCount();
    if (target.gatewayId !== undefined) {
      const gateway = this.network.internetGateways(scope, [target.gatewayId])[0];
      if (!gateway) throw Errors.gatewayIdNotFound(target.gatewayId);
      if (gateway.vpcId !== table.vpcId) throw Errors.differentNetworks(table.routeTableId, "network gateway", target.gatewayId);
      return { gatewayId: target.gatewayId };
    }
    if (target.networkInterfaceId !== undefined) {
      const eni = this.network.networkInterfaces(scope, [target.networkInterfaceId])[0];
      if (!eni) throw Errors.networkInterfaceNotFound(target.networkInterfaceId);
      if (eni.vpcId !== table.vpcId) throw Errors.differentNetworks(table.routeTableId, "network interface", eni.networkInterfaceId);
      return { networkInterfaceId: eni.networkInterfaceId, ...(eni.attachment ? { instanceId: eni.attachment.instanceId } : {}) };
    }
    const instanceId = target.instanceId!;
    const primary = this.network.interfacesOfInstances(scope, [instanceId]).find((eni) => eni.attachment?.deviceIndex === 0);
    if (!primary) throw Errors.instanceHasNoInterface(instanceId);
    if (primary.vpcId !== table.vpcId) throw Errors.differentNetworks(table.routeTableId, "instance", instanceId);
    return { instanceId, networkInterfaceId: primary.networkInterfaceId };
  }
}

function checkDestination(destinationCidrBlock: string): void {
  if (!isNetworkAddress(destinationCidrBlock)) throw Errors.cidrMalformed(destinationCidrBlock, "destinationCidrBlock");
}

/** EC2 lists the local route first; the others follow in destination order here (no creation order is kept). */
function localFirst(a: Route, b: Route): number {
  const local = Number(b.gatewayId === "local") - Number(a.gatewayId === "local");
  return local !== 0 ? local : a.destinationCidrBlock.localeCompare(b.destinationCidrBlock);
}
