// What the VPC, subnet, gateway, route table and ACL services share: the caller narrowed to its account and
// region, lookups by id that answer EC2's NotFound, tags put on what NetworkRepo reads, and one page of a Describe.
import type { Scope } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { type Filter, type FilterSpec, applyFilters } from "../domain/filters.js";
import { isWellFormedId } from "../domain/ids.js";
import type { Subnet, Vpc } from "../domain/network.js";
import { type Page, paginate } from "../domain/pagination.js";
import type { Tag } from "../domain/tags.js";
import type { NetworkPrefix, NetworkRepo } from "../store/network-repo.js";

/** Rows carry the account and region only: the caller's access key is not a column. */
export function scopeOf(caller: Scope): Scope {
  return { accountId: caller.accountId, region: caller.region };
}

/** A Describe's request members that shape what it answers. */
export interface DescribeQuery {
  ids?: readonly string[];
  filters?: readonly Filter[];
  maxResults?: number;
  nextToken?: string;
}

/** The items with their tags read in one query. */
export function withTags<T extends { tags: Tag[] }>(network: NetworkRepo, scope: Scope, prefix: NetworkPrefix, items: T[], idOf: (item: T) => string): T[] {
  if (items.length === 0) return items;
  const tags = network.tagsOf(scope, prefix, items.map(idOf));
  return items.map((item) => ({ ...item, tags: tags.get(idOf(item)) ?? [] }));
}

/** EC2 answers NotFound for the first asked id it does not hold (another account's included). */
export function requireAll<T>(asked: readonly string[] | undefined, found: readonly T[], idOf: (item: T) => string, notFound: (id: string) => Error): void {
  const have = new Set(found.map(idOf));
  const missing = (asked ?? []).find((id) => !have.has(id));
  if (missing !== undefined) throw notFound(missing);
}

/** Filters, then one page in id order. */
export function describePage<T>(items: readonly T[], query: DescribeQuery, spec: FilterSpec<T>, idOf: (item: T) => string): Page<T> {
  const filtered = applyFilters(items, query.filters, spec).sort((a, b) => (idOf(a) < idOf(b) ? -1 : 1));
  const request: { MaxResults?: number; NextToken?: string } = {};
  if (query.maxResults !== undefined) request.MaxResults = query.maxResults;
  if (query.nextToken !== undefined) request.NextToken = query.nextToken;
  return paginate(filtered, idOf, request, Number.MAX_SAFE_INTEGER);
}

export function findVpc(network: NetworkRepo, scope: Scope, vpcId: string | undefined): Vpc {
  if (!vpcId) throw Errors.missingParameter("VpcId");
  if (!isWellFormedId(vpcId, "vpc")) throw Errors.vpcMalformed(vpcId);
  const vpc = network.vpcs(scope, [vpcId])[0];
  if (!vpc) throw Errors.vpcNotFound(vpcId);
  return vpc;
}

export function findSubnet(network: NetworkRepo, scope: Scope, subnetId: string | undefined): Subnet {
  if (!subnetId) throw Errors.missingParameter("SubnetId");
  if (!isWellFormedId(subnetId, "subnet")) throw Errors.subnetMalformed(subnetId);
  const subnet = network.subnets(scope, [subnetId])[0];
  if (!subnet) throw Errors.subnetNotFound(subnetId);
  return subnet;
}

/** The subnets of one VPC (NetworkRepo reads by account; a VPC has few). */
export function subnetsOfVpc(network: NetworkRepo, scope: Scope, vpcId: string): Subnet[] {
  return network.subnets(scope).filter((subnet) => subnet.vpcId === vpcId);
}
