// The networking tables' codecs (docs/networking.md). Each domain type is its row with NULL columns absent, tags
// and the child tables (routes, associations, addresses, groups) read separately, and ACL entries as JSON.
import type {
  Address,
  InternetGateway,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  PrivateIp,
  Route,
  RouteTable,
  RouteTableAssociation,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  Vpc,
} from "../../domain/network.js";
import type { InstanceInterface } from "../../domain/instance-network.js";
import type { Tag } from "../../domain/tags.js";
import type {
  Address as AddressRow,
  InternetGateway as InternetGatewayRow,
  NetworkAcl as NetworkAclRow,
  NetworkInterface as NetworkInterfaceRow,
  PrivateIpAddress as PrivateIpRow,
  Route as RouteRow,
  RouteTable as RouteTableRow,
  RouteTableAssociation as RouteTableAssociationRow,
  SecurityGroup as SecurityGroupRow,
  SecurityGroupRule as SecurityGroupRuleRow,
  Subnet as SubnetRow,
  Vpc as VpcRow,
} from "../generated/client.js";
import { epochOf, SqliteColumns } from "./columns.js";

export const vpcColumns = new SqliteColumns<VpcRow>("Vpc", {
  dates: { createdAt: true },
  booleans: { isDefault: true, enableDnsSupport: true, enableDnsHostnames: true },
});
export const subnetColumns = new SqliteColumns<SubnetRow>("Subnet", {
  dates: { createdAt: true },
  booleans: { defaultForAz: true, mapPublicIpOnLaunch: true },
});
export const securityGroupColumns = new SqliteColumns<SecurityGroupRow>("SecurityGroup", { dates: { createdAt: true }, booleans: {} });
export const securityGroupRuleColumns = new SqliteColumns<SecurityGroupRuleRow>("SecurityGroupRule", { dates: {}, booleans: { isEgress: true } });
export const internetGatewayColumns = new SqliteColumns<InternetGatewayRow>("InternetGateway", { dates: { createdAt: true }, booleans: {} });
export const routeTableColumns = new SqliteColumns<RouteTableRow>("RouteTable", { dates: { createdAt: true }, booleans: {} });
export const routeColumns = new SqliteColumns<RouteRow>("Route", { dates: {}, booleans: {} });
export const routeTableAssociationColumns = new SqliteColumns<RouteTableAssociationRow>("RouteTableAssociation", { dates: {}, booleans: { main: true } });
export const networkAclColumns = new SqliteColumns<NetworkAclRow>("NetworkAcl", { dates: {}, booleans: { isDefault: true } });
export const networkInterfaceColumns = new SqliteColumns<NetworkInterfaceRow>("NetworkInterface", {
  dates: { createdAt: true, attachedAt: true },
  booleans: { sourceDestCheck: true, deleteOnTermination: true },
});
export const privateIpColumns = new SqliteColumns<PrivateIpRow>("PrivateIpAddress", { dates: {}, booleans: { primary: true } });
export const addressColumns = new SqliteColumns<AddressRow>("Address", { dates: { createdAt: true }, booleans: {} });

/** A raw row read on the synchronous connection, typed, with dates and booleans revived and NULLs dropped. */
function revive<Row>(columns: SqliteColumns<Row>, raw: Record<string, unknown>): Record<string, unknown> {
  const row = columns.fromSqlite(raw) as Record<string, unknown>;
  for (const key in row) if (row[key] === null) delete row[key];
  return row;
}

/** The domain object's own columns, without its tags or child lists. */
function columnsOf<T extends object>(value: T, omit: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!omit.includes(key)) row[key] = field;
  return row;
}

export const vpcToRow = (vpc: Vpc) => columnsOf(vpc, ["tags"]);
export const vpcFromRow = (raw: Record<string, unknown>, tags: Tag[]): Vpc => ({ ...(revive(vpcColumns, raw) as unknown as Vpc), tags });

export const subnetToRow = (subnet: Subnet) => columnsOf(subnet, ["tags"]);
export const subnetFromRow = (raw: Record<string, unknown>, tags: Tag[]): Subnet => ({ ...(revive(subnetColumns, raw) as unknown as Subnet), tags });

export const securityGroupToRow = (group: SecurityGroup) => columnsOf(group, ["tags"]);
export const securityGroupFromRow = (raw: Record<string, unknown>, tags: Tag[]): SecurityGroup => ({
  ...(revive(securityGroupColumns, raw) as unknown as SecurityGroup),
  tags,
});

export const securityGroupRuleToRow = (rule: SecurityGroupRule) => columnsOf(rule, []);
export const securityGroupRuleFromRow = (raw: Record<string, unknown>): SecurityGroupRule =>
  revive(securityGroupRuleColumns, raw) as unknown as SecurityGroupRule;

export const internetGatewayToRow = (gateway: InternetGateway) => columnsOf(gateway, ["tags"]);
export const internetGatewayFromRow = (raw: Record<string, unknown>, tags: Tag[]): InternetGateway => ({
  ...(revive(internetGatewayColumns, raw) as unknown as InternetGateway),
  tags,
});

export const routeTableToRow = (table: RouteTable) => columnsOf(table, ["tags", "routes", "associations"]);
export const routeTableFromRow = (raw: Record<string, unknown>, routes: Route[], associations: RouteTableAssociation[], tags: Tag[]): RouteTable => ({
  ...(revive(routeTableColumns, raw) as unknown as RouteTable),
  routes,
  associations,
  tags,
});
export const routeToRow = (route: Route) => columnsOf(route, []);
export const routeFromRow = (raw: Record<string, unknown>): Route => revive(routeColumns, raw) as unknown as Route;
export const routeTableAssociationToRow = (association: RouteTableAssociation) => columnsOf(association, []);
export const routeTableAssociationFromRow = (raw: Record<string, unknown>): RouteTableAssociation =>
  revive(routeTableAssociationColumns, raw) as unknown as RouteTableAssociation;

export const networkAclToRow = (acl: NetworkAcl) => ({ ...columnsOf(acl, ["tags", "entries"]), entries: JSON.stringify(acl.entries) });
export const networkAclFromRow = (raw: Record<string, unknown>, tags: Tag[]): NetworkAcl => {
  const row = revive(networkAclColumns, raw);
  return { ...(row as unknown as NetworkAcl), entries: JSON.parse(row.entries as string) as NetworkAclEntry[], tags };
};

/** The interface's row: its attachment flattened into the attachment columns. */
export function networkInterfaceToRow(eni: NetworkInterface): Record<string, unknown> {
  const row = columnsOf(eni, ["tags", "groupIds", "privateIps", "attachment"]);
  return { ...row, ...(eni.attachment ?? {}), deleteOnTermination: eni.attachment?.deleteOnTermination ?? false };
}

/** An interface from its row read whole, for DescribeNetworkInterfaces (an instance's interfaces: instanceInterfaceDecoder). */
export function networkInterfaceFromRow(raw: Record<string, unknown>, groupIds: string[], privateIps: PrivateIp[], tags: Tag[]): NetworkInterface {
  const row = networkInterfaceColumns.fromSqlite(raw) as unknown as Record<string, unknown>;
  const eni: Record<string, unknown> = {};
  for (const column in row) {
    if (!attachmentColumns.has(column) && row[column] !== null) eni[column] = row[column];
  }
  eni.groupIds = groupIds;
  eni.privateIps = privateIps;
  eni.tags = tags;
  if (row.instanceId !== null && row.instanceId !== undefined) {
    eni.attachment = {
      instanceId: row.instanceId as string,
      attachmentId: row.attachmentId as string,
      deviceIndex: row.deviceIndex as number,
      networkCardIndex: (row.networkCardIndex as number | null) ?? 0,
      attachedAt: row.attachedAt as Date,
      deleteOnTermination: row.deleteOnTermination as boolean,
    };
  }
  return eni as unknown as NetworkInterface;
}

/**
 * The decoder of an attached interface's rows, compiled once for the statement's columns: what
 * networkInterfaceFromRow does, in one object literal of one shape, for DescribeInstances' hundred interfaces a page.
 * The child lists start empty, for the caller to fill.
 */
export function instanceInterfaceDecoder(columns: readonly string[]): (values: unknown[]) => InstanceInterface {
  const at = (column: string) => `values[${columns.indexOf(column)}]`;
  const own = columns.flatMap((column, index) =>
    attachmentColumns.has(column) ? [] : [`${JSON.stringify(column)}: ${networkInterfaceColumns.valueExpression(column, `values[${index}]`)}`],
  );
  const attachment = `{ instanceId: ${at("instanceId")}, attachmentId: ${at("attachmentId")}, deviceIndex: ${at("deviceIndex")}, networkCardIndex: ${at("networkCardIndex")} ?? 0, attachedAt: ${networkInterfaceColumns.valueExpression("attachedAt", at("attachedAt"))} ?? null, deleteOnTermination: ${at("deleteOnTermination")} === 1 }`;
  const source = `return (values) => ({ ${own.join(", ")}, attachment: ${at("instanceId")} === null ? undefined : ${attachment}, groupIds: [], privateIps: [], tags: [], groups: [], elasticIp: undefined });`;
  return new Function("epochOf", source)(epochOf) as (values: unknown[]) => InstanceInterface;
}

/** The columns that make up an interface's attachment rather than fields of its own. */
const attachmentColumns = new Set(["instanceId", "attachmentId", "deviceIndex", "networkCardIndex", "attachedAt", "deleteOnTermination"]);

export const privateIpToRow = (ip: PrivateIp) => columnsOf(ip, []);
export const privateIpDecoder = (columns: readonly string[]) => privateIpColumns.decoder(columns) as unknown as (values: unknown[]) => PrivateIp;
export const privateIpFromRow = (raw: Record<string, unknown>): PrivateIp => revive(privateIpColumns, raw) as unknown as PrivateIp;

export const addressToRow = (address: Address) => columnsOf(address, ["tags"]);
export const addressFromRow = (raw: Record<string, unknown>, tags: Tag[]): Address => ({ ...(revive(addressColumns, raw) as unknown as Address), tags });
