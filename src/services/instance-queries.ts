// DescribeInstances and DescribeInstanceStatus: which instances a caller sees, under EC2's filters, and the
// status checks' report on each.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { applyFilters, type Filter, filterPredicate } from "../domain/filters.js";
import { instanceFilters, instanceRowFilterNames } from "../domain/filters/instances.js";
import { instanceStatusFilters } from "../domain/filters/instance-status.js";
import type { InstanceEvent } from "../domain/instance-events.js";
import { type InstanceStatusReport, instanceStatusReport, withHostLife } from "../domain/instance-status.js";
import { currentState, type Instance, type InstancePrefilter, storedStatesShowing } from "../domain/instances.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import type { InstanceService } from "./instances.js";

export interface InstanceQuery {
  /** Exactly these instances (each must exist); otherwise a page of the account's, `want` at most, after `nextToken`. */
  instanceIds?: readonly string[];
  filters?: readonly Filter[];
  nextToken?: string;
  want: number;
}

export interface StatusQuery {
  instanceIds?: readonly string[];
  /** Every instance, not only the running ones. */
  includeAll: boolean;
  filters?: readonly Filter[];
}

/** Scheduled events and failed servers (services/maintenance.ts), brought up to the clock before a status read. */
export interface HostLifeLookup {
  settle(): Promise<void>;
  hostLifeOf(caller: Caller, instances: readonly Instance[]): { events: Map<string, InstanceEvent[]>; onFailedServer: Set<string> };
}

export class InstanceQueryService {
  private readonly filters;

  constructor(
    private readonly instances: InstanceService,
    private readonly clock: Clock,
    private readonly delays: Pick<Delays, "statusChecksMs">,
    zoneIdOf: (zone: string) => string | undefined,
    private readonly hostLife?: () => HostLifeLookup,
  ) {
    this.filters = instanceFilters(clock, zoneIdOf);
  }

  /** The matching instances, and a token for the next page when there are more. */
  async describe(caller: Caller, query: InstanceQuery): Promise<{ instances: Instance[]; nextToken?: string }> {
    const prefilter = literalPrefilter(query.filters);
    if (query.instanceIds?.length) return { instances: applyFilters(await this.instances.get(caller, query.instanceIds), query.filters, this.filters) };
    // Checks every filter name before reading anything.
    const matches = filterPredicate(query.filters, this.filters);
    const after = query.nextToken !== undefined ? decodeToken(query.nextToken) : undefined;
    const rowFilters = query.filters?.filter((filter) => filter.Name !== undefined && instanceRowFilterNames.has(filter.Name));
    const { instances, more } = await this.instances.scan(caller, {
      ...(after ? { afterId: after } : {}),
      want: query.want,
      prefilter,
      ...(query.filters?.length ? { accept: matches } : {}),
      ...(rowFilters?.length ? { acceptRow: filterPredicate(rowFilters, this.filters) } : {}),
    });
    return { instances, ...(more && instances.length > 0 ? { nextToken: encodeToken(instances[instances.length - 1]!.instanceId) } : {}) };
  }

  async statuses(caller: Caller, query: StatusQuery): Promise<InstanceStatusReport[]> {
    const hostLife = this.hostLife?.();
    await hostLife?.settle();
    const found = query.instanceIds?.length
      ? await this.instances.get(caller, query.instanceIds)
      : (await this.instances.scan(caller, { want: Number.MAX_SAFE_INTEGER })).instances;
    const now = this.clock.now();
    const shown = found.filter((instance) => query.includeAll || currentState(instance, now) === "running");
    const reports: InstanceStatusReport[] = [];
    for (const instance of shown) reports.push(instanceStatusReport(instance, now, await this.instances.statusChecks(caller, instance), this.delays));
    if (hostLife) {
      const { events, onFailedServer } = hostLife.hostLifeOf(caller, shown);
      for (let i = 0; i < reports.length; i++) {
        const id = reports[i]!.instanceId;
        reports[i] = withHostLife(reports[i]!, events.get(id) ?? [], onFailedServer.has(id));
      }
    }
    return applyFilters(reports, query.filters, instanceStatusFilters);
  }
}

/** The literal (wildcard-free) filters the store can narrow by; the exact rules still run on what it returns. */
function literalPrefilter(filters: readonly Filter[] | undefined): InstancePrefilter {
  const prefilter: InstancePrefilter = {};
  const literal = (values: string[] | undefined) => (values && values.length > 0 && values.every((v) => !/[*?\\]/.test(v)) ? values : undefined);
  const columns: Record<string, keyof Omit<InstancePrefilter, "tags">> = {
    "instance-id": "instanceIds",
    "instance-type": "instanceTypes",
    "image-id": "imageIds",
    "availability-zone": "availabilityZones",
    "reservation-id": "reservationIds",
    "vpc-id": "vpcIds",
    "subnet-id": "subnetIds",
    "private-ip-address": "privateIpAddresses",
    "key-name": "keyNames",
    "client-token": "clientTokens",
  };
  for (const filter of filters ?? []) {
    const values = literal(filter.Values);
    const column = filter.Name ? columns[filter.Name] : undefined;
    if (column && values) prefilter[column] = values;
    if (filter.Name?.startsWith("tag:") && values) (prefilter.tags ??= []).push({ key: filter.Name.slice(4), values });
    if (filter.Name === "tag-key" && values?.length === 1) (prefilter.tags ??= []).push({ key: values[0]! });
    if (filter.Name === "instance-state-name" && values) prefilter.states = storedStatesShowing(values);
  }
  return prefilter;
}
