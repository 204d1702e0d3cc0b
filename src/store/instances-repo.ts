// Instances, their tags and their volumes. A launch places every instance and inserts it in one transaction, so
// capacity taken and instances stored can never disagree, and a launch that cannot place MinCount instances leaves
// nothing. The hot paths run on the synchronous connection (src/store/sql.ts).
import type { Scope } from "../domain/caller.js";
import type { Footprint } from "../domain/fleet.js";
import type { Instance, InstanceLifecycle, InstancePrefilter } from "../domain/instances.js";
import { type GroupMember, type GroupPlacement, type LaunchOutcome, nextGroupSlot, type ShortfallCause } from "../domain/placement.js";
import type { AttachedVolume, Volume } from "../domain/volumes.js";
import { boundChunks } from "./bound-ids.js";
import { FleetRepo } from "./fleet-repo.js";
import type { InstanceNetworkRepo } from "./instance-network-repo.js";
import { scopeWhere } from "./scope.js";
import { type InstanceRow, instanceColumns, instanceToRow, storedInstanceDecoder } from "./rows/instance.js";
import { placeholders, type Sql } from "./sql.js";
import { groupNamesSync } from "./group-names.js";
import { insertTagsSync, tagsByResourceSync } from "./tags-repo.js";
import { insertVolumeSync, instanceVolumesSync, releaseInstanceVolumes, setDeleteOnTerminationSync, volumesOfInstanceSync } from "./volumes-repo.js";

export interface LaunchPlan {
  scope: Scope;
  /** Candidate zones in order of preference; one reservation's instances all go to one zone. */
  zones: readonly string[];
  minCount: number;
  maxCount: number;
  hostClasses: readonly string[];
  footprint: Footprint;
  /** tenancy host: the Dedicated Hosts to try, in order. */
  dedicatedHostIds?: readonly string[];
  group?: GroupPlacement;
  clientToken?: string;
  build(placement: { availabilityZone: string; serverId: string; hostId?: string; partitionNumber?: number; launchIndex: number }): Instance;
  /** The EBS volumes of a placed instance, stored with it. */
  volumes(instance: Instance): Volume[];
  /**
   * Creates a placed instance's network interfaces in the launch's transaction and answers what the instance keeps
   * of them (its private address, VPC and subnet). Throwing (a full subnet) rolls the whole launch back.
   */
  network?(instance: Instance): Partial<Instance>;
  /** An On-Demand launch with no free room: takes it from Spot Instances in the zone (store/spot-repo.ts); true when it did. */
  makeRoom?(zone: string, excludeServers: readonly string[]): boolean;
  /** Stores what else a placed instance comes with (a Spot Instance's request), in the launch's transaction. */
  record?(instance: Instance): void;
}

class Shortfall extends Error {
  constructor(readonly outcome: Extract<LaunchOutcome, { kind: "short" }>) {
    super("shortfall");
  }
}

export class InstancesRepo {
  constructor(
    private readonly sql: Sql,
    private readonly network?: InstanceNetworkRepo,
  ) {}

  async launch(plan: LaunchPlan): Promise<LaunchOutcome> {
    let best: Extract<LaunchOutcome, { kind: "short" }> = { kind: "short", placedAtBest: 0, cause: "capacity" };
    for (const zone of plan.zones) {
      try {
        return await this.sql.write(() => {
          if (plan.clientToken) {
            const earlier = this.sql.decoded(
              'SELECT * FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "clientToken" = ? ORDER BY "launchIndex"',
              storedInstanceDecoder,
              plan.scope.accountId,
              plan.scope.region,
              plan.clientToken,
            );
            if (earlier.length > 0) return { kind: "replayed" as const, instances: this.withTags(plan.scope, earlier) };
          }
          const placed = placeInZone(this.sql, plan, zone);
          // Throwing rolls back whatever this zone's servers gave.
          if (placed.length < plan.minCount) throw new Shortfall({ kind: "short", placedAtBest: placed.length, zone, cause: placed.cause ?? "capacity" });
          for (let i = 0; i < placed.length; i++) {
            if (plan.network) placed[i] = { ...placed[i]!, ...plan.network(placed[i]!) };
            const instance = placed[i]!;
            this.sql.insert(instanceColumns.table, instanceToRow(instance));
            insertTagsSync(this.sql, { resourceId: instance.instanceId, resourceType: "instance", ...scopeWhere(plan.scope) }, instance.tags);
            for (const volume of plan.volumes(instance)) insertVolumeSync(this.sql, volume);
            plan.record?.(instance);
          }
          return { kind: "launched" as const, instances: placed };
        });
      } catch (error) {
        if (!(error instanceof Shortfall)) throw error;
        if (error.outcome.placedAtBest >= best.placedAtBest) best = error.outcome;
      }
    }
    return best;
  }

  /**
   * One page of the account's instances after `afterId`, in id order, narrowed by literal filters (the caller
   * applies the exact ones). `scannedUntil` is the last id read, where the next page starts; none at the end.
   */
  async page(
    scope: Scope,
    options: {
      afterId?: string;
      take: number;
      prefilter?: InstancePrefilter;
      /** Tested on each row before its tags, volumes and interfaces are read: only the rows it keeps get them. */
      keep?: (row: Instance) => boolean;
    },
  ): Promise<{ instances: Instance[]; scannedUntil?: string }> {
    const pre = options.prefilter ?? {};
    // A tag condition of one value (tag:K=V) drives the query: the Tag index lists that value's instance ids in id
    // order, so a page reads a page of tags and stops, where a subquery listed every tagged id before reading one
    // instance. With several values SQLite would walk all the account's tags in id order to avoid a sort: those
    // stay subqueries.
    const driving = pre.tags?.find((tag) => tag.values?.length === 1);
    const otherTags = (pre.tags ?? []).filter((tag) => tag !== driving);
    const where: string[] = [];
    const params: unknown[] = [];
    let from = '"Instance"';
    let idColumn = '"Instance"."instanceId"';
    if (driving) {
      from =
        '"Tag" CROSS JOIN "Instance" ON "Instance"."accountId" = "Tag"."accountId" AND "Instance"."region" = "Tag"."region" AND "Instance"."instanceId" = "Tag"."resourceId"';
      idColumn = '"Tag"."resourceId"';
      where.push(`"Tag"."accountId" = ?`, `"Tag"."region" = ?`, `"Tag"."resourceType" = 'instance'`, `"Tag"."key" = ?`, `"Tag"."value" = ?`);
      params.push(scope.accountId, scope.region, driving.key, driving.values![0]);
    } else {
      where.push('"Instance"."accountId" = ?', '"Instance"."region" = ?');
      params.push(scope.accountId, scope.region);
    }
    if (options.afterId) {
      where.push(`${idColumn} > ?`);
      params.push(options.afterId);
    }
    const column = (name: string, values: string[] | undefined) => {
      if (!values) return;
      where.push(`"Instance"."${name}" IN (${placeholders(values.length)})`);
      params.push(...values);
    };
    column("instanceId", pre.instanceIds);
    column("instanceType", pre.instanceTypes);
    column("imageId", pre.imageIds);
    column("availabilityZone", pre.availabilityZones);
    column("reservationId", pre.reservationIds);
    column("vpcId", pre.vpcIds);
    column("subnetId", pre.subnetIds);
    column("state", pre.states);
    column("privateIpAddress", pre.privateIpAddresses);
    column("keyName", pre.keyNames);
    column("clientToken", pre.clientTokens);
    // The other tag conditions: the Tag index on (account, region, type, key, value, id) answers each subquery.
    for (const tag of otherTags) {
      where.push(
        `"Instance"."instanceId" IN (SELECT "resourceId" FROM "Tag" WHERE "accountId" = ? AND "region" = ? AND "resourceType" = 'instance' AND "key" = ?${tag.values ? ` AND "value" IN (${placeholders(tag.values.length)})` : ""})`,
      );
      params.push(scope.accountId, scope.region, tag.key, ...(tag.values ?? []));
    }
    const rows = this.sql.decoded(
      `SELECT "Instance".* FROM ${from} WHERE ${where.join(" AND ")} ORDER BY ${idColumn} LIMIT ?`,
      storedInstanceDecoder,
      ...params,
      options.take,
    );
    const kept = options.keep ? rows.filter(options.keep) : rows;
    return { instances: this.withTags(scope, kept), ...(rows.length === options.take ? { scannedUntil: rows[rows.length - 1]!.instanceId } : {}) };
  }

  async find(scope: Scope, instanceIds: readonly string[]): Promise<Instance[]> {
    const rows: Instance[] = [];
    for (const ids of boundChunks(instanceIds)) {
      rows.push(
        ...this.sql.decoded(
          `SELECT * FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "instanceId" IN (${placeholders(ids.length)})`,
          storedInstanceDecoder,
          scope.accountId,
          scope.region,
          ...ids,
        ),
      );
    }
    rows.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
    return this.withTags(scope, rows);
  }

  /**
   * What decides the public address an instance's launch gave it (its state, their times and its settings), without
   * the rows linked to it: DescribeNetworkInterfaces shows that address on each attached primary interface.
   */
  async lifecycles(scope: Scope, instanceIds: readonly string[]): Promise<InstanceLifecycle[]> {
    const rows: InstanceLifecycle[] = [];
    for (const ids of boundChunks(instanceIds)) {
      // The one setting it needs, read by SQLite from the settings' JSON: a burstable instance's settings are its own
      // text (its credit history), and decoding each whole would cost more than the rest of the read.
      const read = this.sql.all<Pick<InstanceRow, "instanceId" | "state" | "stateChangedAt" | "transitionEndsAt"> & { publicIpOnLaunch: number | null }>(
        `SELECT "instanceId", "state", "stateChangedAt", "transitionEndsAt", json_extract("options", '$.publicIpOnLaunch') AS "publicIpOnLaunch"
         FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "instanceId" IN (${placeholders(ids.length)})`,
        scope.accountId,
        scope.region,
        ...ids,
      );
      for (const row of read) {
        const { instanceId, state, stateChangedAt, transitionEndsAt } = instanceColumns.fromSqlite(row as unknown as Record<string, unknown>);
        rows.push({ instanceId, state: state as InstanceLifecycle["state"], stateChangedAt, transitionEndsAt, publicIpOnLaunch: row.publicIpOnLaunch === 1 });
      }
    }
    return rows;
  }

  /** Applies state changes (and the capacity and volumes they give back) to several instances at once. */
  async transition(
    changes: ReadonlyArray<{
      instanceId: string;
      data: Partial<Instance>;
      release?: { serverId: string; footprint: Footprint };
      releaseVolumesAt?: Date;
      /** Terminate: the interfaces marked DeleteOnTermination go, the others are detached. */
      releaseInterfaces?: boolean;
    }>,
    scope: Scope,
  ): Promise<void> {
    await this.sql.write(() => {
      for (const change of changes) {
        if (change.release) FleetRepo.release(this.sql, change.release.serverId, change.release.footprint);
        if (change.releaseVolumesAt) releaseInstanceVolumes(this.sql, scope, change.instanceId, change.releaseVolumesAt);
        if (change.releaseInterfaces) this.network?.releaseAtTerminationSync(scope, change.instanceId);
        // Given back: the instance is off its server until it starts again.
        this.updateRow(scope, change.instanceId, { ...instanceToRow(change.data), ...(change.release ? { serverId: null } : {}) });
      }
    });
  }

  /** Starts a stopped instance: takes capacity on a server of its zone, or answers undefined when there is none. */
  async restart(
    scope: Scope,
    instanceId: string,
    placement: { availabilityZone: string; hostClasses: readonly string[]; footprint: Footprint; dedicatedHostId?: string },
    data: Partial<Instance>,
  ): Promise<string | undefined> {
    return this.sql.write(() => {
      const serverId = FleetRepo.place(this.sql, placement);
      if (serverId) this.updateRow(scope, instanceId, instanceToRow({ ...data, serverId }));
      return serverId;
    });
  }

  async update(scope: Scope, instanceId: string, data: Partial<Instance>): Promise<void> {
    await this.sql.write(() => this.updateRow(scope, instanceId, instanceToRow(data)));
  }

  /** Sets DeleteOnTermination of the volumes at these devices; answers the devices that have no volume attached. */
  async setDeleteOnTermination(scope: Scope, instanceId: string, devices: ReadonlyArray<{ device: string; deleteOnTermination: boolean }>): Promise<string[]> {
    return this.sql.write(() =>
      devices
        .filter(({ device, deleteOnTermination }) => !setDeleteOnTerminationSync(this.sql, scope, instanceId, device, deleteOnTermination))
        .map(({ device }) => device),
    );
  }

  /** The volumes attached to the instance now (the root one carries the guest it boots). */
  async volumes(scope: Scope, instanceId: string, now: Date): Promise<AttachedVolume[]> {
    return volumesOfInstanceSync(this.sql, scope, instanceId, now);
  }

  /** Instances on these servers, of every account: for the fleet view, which shows ids only to their owner. */
  async onServers(serverIds: readonly string[]): Promise<Array<Pick<Instance, "instanceId" | "accountId" | "instanceType" | "state"> & { serverId: string }>> {
    if (serverIds.length === 0) return [];
    return this.sql.all(
      `SELECT "instanceId", "accountId", "instanceType", "state", "serverId" FROM "Instance" WHERE "serverId" IN (${placeholders(serverIds.length)}) AND "state" IN ('pending', 'running') ORDER BY "instanceId"`,
      ...serverIds,
    );
  }

  private updateRow(scope: Scope, instanceId: string, data: Partial<InstanceRow>): void {
    const columns = Object.keys(data);
    if (columns.length === 0) return;
    this.sql.run(
      `UPDATE "Instance" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "instanceId" = ? AND "accountId" = ? AND "region" = ?`,
      ...columns.map((c) => data[c as keyof InstanceRow]),
      instanceId,
      scope.accountId,
      scope.region,
    );
  }

  /** These stored instances with their tags, their volumes, their interfaces and their placement group's name. */
  private withTags(scope: Scope, instances: Instance[]): Instance[] {
    if (instances.length === 0) return [];
    const ids = instances.map((instance) => instance.instanceId);
    const tags = tagsByResourceSync(this.sql, scope, "instance", ids);
    const groupNames = groupNamesSync(
      this.sql,
      "PlacementGroup",
      instances.flatMap((instance) => (instance.placementGroupId ? [instance.placementGroupId] : [])),
    );
    const volumes = instanceVolumesSync(this.sql, scope, ids);
    const interfaces = this.network?.interfacesOfSync(scope, ids);
    for (const instance of instances) {
      instance.tags = tags.get(instance.instanceId) ?? [];
      instance.volumes = volumes.get(instance.instanceId) ?? [];
      instance.interfaces = interfaces?.get(instance.instanceId) ?? [];
      const groupName = instance.placementGroupId ? groupNames.get(instance.placementGroupId) : undefined;
      if (groupName) instance.placementGroupName = groupName;
    }
    return instances;
  }
}

type PlacedInZone = Instance[] & { cause?: ShortfallCause };

/** Places up to MaxCount instances in one zone, where the placement group's rules (domain/placement.ts) allow. */
function placeInZone(sql: Sql, plan: LaunchPlan, zone: string): PlacedInZone {
  const placed: PlacedInZone = [];
  const members: GroupMember[] = plan.group
    ? sql.all(
        'SELECT "serverId", "partitionNumber", "availabilityZone" FROM "Instance" WHERE "placementGroupId" = ? AND "state" IN (\'pending\', \'running\')',
        plan.group.groupId,
      )
    : [];
  for (let index = 0; index < plan.maxCount; index++) {
    const slot = nextGroupSlot(plan.group, members, zone);
    if ("refused" in slot) {
      placed.cause = slot.refused;
      break;
    }
    const { excludeServers, partitionNumber } = slot;
    let serverId: string | undefined;
    let hostId: string | undefined;
    for (const candidateHost of plan.dedicatedHostIds ?? [undefined]) {
      serverId = FleetRepo.place(sql, {
        availabilityZone: zone,
        hostClasses: plan.hostClasses,
        footprint: plan.footprint,
        excludeServers,
        ...(candidateHost ? { dedicatedHostId: candidateHost, placedOnHost: placed.filter((instance) => instance.hostId === candidateHost).length } : {}),
      });
      if (serverId) {
        hostId = candidateHost;
        break;
      }
    }
    // EC2 guarantees On-Demand capacity over Spot: a full zone interrupts Spot Instances for the room (docs/spot.md).
    if (!serverId && !plan.dedicatedHostIds && plan.makeRoom?.(zone, excludeServers)) {
      serverId = FleetRepo.place(sql, { availabilityZone: zone, hostClasses: plan.hostClasses, footprint: plan.footprint, excludeServers });
    }
    if (!serverId) break;
    const instance = plan.build({
      availabilityZone: zone,
      serverId,
      launchIndex: index,
      ...(hostId ? { hostId } : {}),
      ...(partitionNumber ? { partitionNumber } : {}),
    });
    placed.push(instance);
    members.push({ serverId, partitionNumber: partitionNumber ?? null, availabilityZone: zone });
  }
  return placed;
}
