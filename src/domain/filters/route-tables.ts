// DescribeRouteTables' filter names, read from a table and its routes' states.
import { type FilterSpec, noneModelled } from "../filters.js";
import type { Route, RouteTable } from "../network.js";

/** A route table as DescribeRouteTables shows it: each route with its state (active, or blackhole). */
export interface RouteTableView {
  table: RouteTable;
  routes: Array<Route & { state: "active" | "blackhole" }>;
}

const routeValues = (view: RouteTableView, read: (route: RouteTableView["routes"][number]) => string | undefined): string[] =>
  view.routes.map(read).filter((value): value is string => value !== undefined);

export const routeTableFilters: FilterSpec<RouteTableView> = {
  fields: {
    "association.main": (v) => (v.table.associations.some((a) => a.main) ? "true" : "false"),
    "association.route-table-association-id": (v) => v.table.associations.map((a) => a.associationId),
    "association.route-table-id": (v) => (v.table.associations.length > 0 ? v.table.routeTableId : undefined),
    "association.subnet-id": (v) => v.table.associations.flatMap((a) => (a.subnetId ? [a.subnetId] : [])),
    "owner-id": (v) => v.table.accountId,
    "route-table-id": (v) => v.table.routeTableId,
    "route.destination-cidr-block": (v) => routeValues(v, (r) => r.destinationCidrBlock),
    "route.gateway-id": (v) => routeValues(v, (r) => r.gatewayId),
    "route.instance-id": (v) => routeValues(v, (r) => r.instanceId),
    "route.network-interface-id": (v) => routeValues(v, (r) => r.networkInterfaceId),
    "route.origin": (v) => routeValues(v, (r) => r.origin),
    "route.state": (v) => routeValues(v, (r) => r.state),
    "vpc-id": (v) => v.table.vpcId,
    // Routes here target internet gateways, interfaces and instances for IPv4 blocks; associations are subnets'.
    "association.gateway-id": noneModelled,
    "route.destination-ipv6-cidr-block": noneModelled,
    "route.destination-prefix-list-id": noneModelled,
    "route.egress-only-internet-gateway-id": noneModelled,
    "route.nat-gateway-id": noneModelled,
    "route.transit-gateway-id": noneModelled,
    "route.vpc-peering-connection-id": noneModelled,
  },
  tags: (v) => v.table.tags,
};
