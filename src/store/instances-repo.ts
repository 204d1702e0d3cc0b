// Instances, their tags and their volumes. A launch places every instance and inserts it in one transaction, so
// capacity taken and instances stored can never disagree, and a launch that cannot place MinCount instances leaves
// nothing. The hot paths run on the synchronous connection (src/store/sql.ts).
import type { Scope } from "../domain/caller.js";
import type { Footprint } from "../domain/fleet.js";
import type { Instance, InstanceBlockDevice, InstancePrefilter } from "../domain/instances.js";
import { type GroupMember, type GroupPlacement, type LaunchOutcome, nextGroupSlot, type ShortfallCause } from "../domain/placement.js";
import type { Tag } from "../domain/tags.js";
import type { Volume } from "../domain/volumes.js";
import { FleetRepo } from "./fleet-repo.js";
import { scopeWhere } from "./scope.js";
import { placeholders, prismaRow, type Sql } from "./sql.js";
import { releaseInstanceVolumes, toRow as volumeRow, toVolume as volumeFromRow } from "./volumes-repo.js";

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
}

class Shortfall extends Error {
  constructor(readonly outcome: Extract<LaunchOutcome, { kind: "short" }>) {
    super("shortfall");
  }
}

export class InstancesRepo {
  constructor(private readonly sql: Sql) {}

  async launch(plan: LaunchPlan): Promise<LaunchOutcome> {
    let best: Extract<LaunchOutcome, { kind: "short" }> = { kind: "short", placedAtBest: 0, cause: "capacity" };
    for (const zone of plan.zones) {
      try {
        return await this.sql.write(() => {
          if (plan.clientToken) {
            const earlier = this.sql.all<InstanceRow>('SELECT * FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "clientToken" = ? ORDER BY "launchIndex"', plan.scope.accountId, plan.scope.region, plan.clientToken);
            if (earlier.length > 0) return { kind: "replayed" as const, instances: this.withTags(plan.scope, earlier) };
          }
          const placed = placeInZone(this.sql, plan, zone);
          // Throwing rolls back whatever this zone's servers gave.
          if (placed.length < plan.minCount) throw new Shortfall({ kind: "short", placedAtBest: placed.length, zone, cause: placed.cause ?? "capacity" });
          for (const instance of placed) {
            this.sql.insert("Instance", toRow(instance));
            insertTagRows(this.sql, { resourceId: instance.instanceId, resourceType: "instance", ...scopeWhere(plan.scope) }, instance.tags);
            for (const volume of plan.volumes(instance)) {
              this.sql.insert("Volume", volumeRow(volume));
              insertTagRows(this.sql, { resourceId: volume.volumeId, resourceType: "volume", ...scopeWhere(plan.scope) }, volume.tags);
            }
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
  async page(scope: Scope, options: { afterId?: string; take: number; prefilter?: InstancePrefilter }): Promise<{ instances: Instance[]; scannedUntil?: string }> {
    const where = ['"accountId" = ?', '"region" = ?'];
    const params: unknown[] = [scope.accountId, scope.region];
    if (options.afterId) {
      where.push('"instanceId" > ?');
      params.push(options.afterId);
    }
    const pre = options.prefilter ?? {};
    const column = (name: string, values: string[] | undefined) => {
      if (!values) return;
      where.push(`"${name}" IN (${placeholders(values.length)})`);
      params.push(...values);
    };
    column("instanceId", pre.instanceIds);
    column("instanceType", pre.instanceTypes);
    column("imageId", pre.imageIds);
    column("availabilityZone", pre.availabilityZones);
    column("reservationId", pre.reservationIds);
    // Tags live in their own table; the Tag index on (account, region, type, key, value) answers the subquery.
    for (const tag of pre.tags ?? []) {
      where.push(`"instanceId" IN (SELECT "resourceId" FROM "Tag" WHERE "accountId" = ? AND "region" = ? AND "resourceType" = 'instance' AND "key" = ?${tag.values ? ` AND "value" IN (${placeholders(tag.values.length)})` : ""})`);
      params.push(scope.accountId, scope.region, tag.key, ...(tag.values ?? []));
    }
    const rows = this.sql.all<InstanceRow>(`SELECT * FROM "Instance" WHERE ${where.join(" AND ")} ORDER BY "instanceId" LIMIT ?`, ...params, options.take);
    return { instances: this.withTags(scope, rows), ...(rows.length === options.take ? { scannedUntil: rows[rows.length - 1]!.instanceId } : {}) };
  }

  async find(scope: Scope, instanceIds: readonly string[]): Promise<Instance[]> {
    const rows: InstanceRow[] = [];
    for (let i = 0; i < instanceIds.length; i += 500) {
      const ids = instanceIds.slice(i, i + 500);
      rows.push(...this.sql.all<InstanceRow>(`SELECT * FROM "Instance" WHERE "accountId" = ? AND "region" = ? AND "instanceId" IN (${placeholders(ids.length)})`, scope.accountId, scope.region, ...ids));
    }
    rows.sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
    return this.withTags(scope, rows);
  }

  /** Applies state changes (and the capacity and volumes they give back) to several instances at once. */
  async transition(
    changes: ReadonlyArray<{ instanceId: string; data: Partial<Instance>; release?: { serverId: string; footprint: Footprint }; releaseVolumesAt?: Date }>,
    scope: Scope,
  ): Promise<void> {
    await this.sql.write(() => {
      for (const change of changes) {
        if (change.release) FleetRepo.release(this.sql, change.release.serverId, change.release.footprint);
        if (change.releaseVolumesAt) releaseInstanceVolumes(this.sql, scope, change.instanceId, change.releaseVolumesAt);
        // Given back: the instance is off its server until it starts again.
        this.updateRow(scope, change.instanceId, { ...toRow(change.data), ...(change.release ? { serverId: null } : {}) });
      }
    });
  }

  /** Starts a stopped instance: takes capacity on a server of its zone, or answers undefined when there is none. */
  async restart(scope: Scope, instanceId: string, placement: { availabilityZone: string; hostClasses: readonly string[]; footprint: Footprint; dedicatedHostId?: string }, data: Partial<Instance>): Promise<string | undefined> {
    return this.sql.write(() => {
      const serverId = FleetRepo.place(this.sql, placement);
      if (serverId) this.updateRow(scope, instanceId, toRow({ ...data, serverId }));
      return serverId;
    });
  }

  async update(scope: Scope, instanceId: string, data: Partial<Instance>): Promise<void> {
    await this.sql.write(() => this.updateRow(scope, instanceId, toRow(data)));
  }

  /** The volumes attached to the instance now (the root one carries the guest it boots). */
  async volumes(scope: Scope, instanceId: string, now: Date): Promise<Volume[]> {
    const rows = this.sql.all<Record<string, unknown>>(
      'SELECT * FROM "Volume" WHERE "accountId" = ? AND "region" = ? AND "instanceId" = ? AND ("detachAt" IS NULL OR "detachAt" > ?) ORDER BY "attachTime"',
      scope.accountId,
      scope.region,
      instanceId,
      now,
    );
    return rows.map((row) => volumeFromRow(prismaRow(row, volumeDates, volumeBooleans) as never, []));
  }

  /** Instances on these servers, of every account: for the fleet view, which shows ids only to their owner. */
  async onServers(serverIds: readonly string[]): Promise<Array<Pick<Instance, "instanceId" | "accountId" | "instanceType" | "state"> & { serverId: string }>> {
    if (serverIds.length === 0) return [];
    return this.sql.all(
      `SELECT "instanceId", "accountId", "instanceType", "state", "serverId" FROM "Instance" WHERE "serverId" IN (${placeholders(serverIds.length)}) AND "state" IN ('pending', 'running') ORDER BY "instanceId"`,
      ...serverIds,
    );
  }

  private updateRow(scope: Scope, instanceId: string, data: Record<string, unknown>): void {
    const columns = Object.keys(data);
    if (columns.length === 0) return;
    this.sql.run(`UPDATE "Instance" SET ${columns.map((c) => `"${c}" = ?`).join(", ")} WHERE "instanceId" = ? AND "accountId" = ? AND "region" = ?`, ...columns.map((c) => data[c]), instanceId, scope.accountId, scope.region);
  }

  private withTags(scope: Scope, rows: InstanceRow[]): Instance[] {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.instanceId);
    const tags = new Map<string, Tag[]>();
    // The unary + keeps SQLite on the primary key (account, resource, key): a lookup per instance, where the
    // (account, region, type) index would read every instance tag of the Region.
    for (const tag of this.sql.all<{ resourceId: string; key: string; value: string }>(
      `SELECT "resourceId", "key", "value" FROM "Tag" WHERE "accountId" = ? AND +"region" = ? AND +"resourceType" = 'instance' AND "resourceId" IN (${placeholders(ids.length)}) ORDER BY "key"`,
      scope.accountId,
      scope.region,
      ...ids,
    )) {
      const list = tags.get(tag.resourceId) ?? [];
      list.push({ Key: tag.key, Value: tag.value });
      tags.set(tag.resourceId, list);
    }
    const groupIds = [...new Set(rows.flatMap((row) => (row.placementGroupId ? [row.placementGroupId] : [])))];
    const groupNames = new Map(
      groupIds.length ? this.sql.all<{ groupId: string; groupName: string }>(`SELECT "groupId", "groupName" FROM "PlacementGroup" WHERE "groupId" IN (${placeholders(groupIds.length)})`, ...groupIds).map((g) => [g.groupId, g.groupName]) : [],
    );
    // The unary + keeps SQLite on the instanceId index; by (account, region) it would read every volume. The guest
    // model is left out: block device mappings do not show it, and it is most of a volume row.
    const volumes = this.sql
      .all<Record<string, unknown>>(`SELECT ${attachedVolumeColumns} FROM "Volume" WHERE +"accountId" = ? AND +"region" = ? AND "instanceId" IN (${placeholders(ids.length)}) ORDER BY "attachTime", "volumeId"`, scope.accountId, scope.region, ...ids)
      .map((row) => volumeFromRow(prismaRow(row, volumeDates, volumeBooleans) as never, []));
    const volumesOf = new Map<string, Volume[]>();
    for (const volume of volumes) {
      const instanceId = volume.attachment!.instanceId;
      const list = volumesOf.get(instanceId);
      if (list) list.push(volume);
      else volumesOf.set(instanceId, [volume]);
    }
    return rows.map((row) => {
      const instance = { ...toInstance(row, tags.get(row.instanceId) ?? []), volumes: volumesOf.get(row.instanceId) ?? [] };
      const groupName = row.placementGroupId ? groupNames.get(row.placementGroupId) : undefined;
      return groupName ? { ...instance, placementGroupName: groupName } : instance;
    });
  }
}

type PlacedInZone = Instance[] & { cause?: ShortfallCause };

/** Places up to MaxCount instances in one zone, where the placement group's rules (domain/placement.ts) allow. */
function placeInZone(sql: Sql, plan: LaunchPlan, zone: string): PlacedInZone {
  const placed: PlacedInZone = [];
  const members: GroupMember[] = plan.group
    ? sql.all('SELECT "serverId", "partitionNumber", "availabilityZone" FROM "Instance" WHERE "placementGroupId" = ? AND "state" IN (\'pending\', \'running\')', plan.group.groupId)
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
      serverId = FleetRepo.place(sql, { availabilityZone: zone, hostClasses: plan.hostClasses, footprint: plan.footprint, excludeServers, ...(candidateHost ? { dedicatedHostId: candidateHost } : {}) });
      if (serverId) {
        hostId = candidateHost;
        break;
      }
    }
    if (!serverId) break;
    const instance = plan.build({ availabilityZone: zone, serverId, launchIndex: index, ...(hostId ? { hostId } : {}), ...(partitionNumber ? { partitionNumber } : {}) });
    placed.push(instance);
    members.push({ serverId, partitionNumber: partitionNumber ?? null, availabilityZone: zone });
  }
  return placed;
}

function insertTagRows(sql: Sql, owner: { resourceId: string; resourceType: string; accountId: string; region: string }, tags: readonly Tag[]): void {
  for (const tag of tags) sql.insert("Tag", { ...owner, key: tag.Key, value: tag.Value });
}

const attachedVolumeColumns = [
  "volumeId", "accountId", "region", "availabilityZone", "size", "volumeType", "iops", "throughput", "encrypted", "snapshotId",
  "createdAt", "availableAt", "instanceId", "device", "attachTime", "attachedAt", "detachAt", "deleteOnTermination",
].map((column) => `"${column}"`).join(", ") + ', NULL AS "guest"';

type InstanceRow = Record<string, unknown> & { instanceId: string; placementGroupId: string | null };

const instanceDates = ["launchTime", "stateChangedAt", "transitionEndsAt"];
const instanceBooleans = ["enaSupport", "disableApiTermination"];
const volumeDates = ["createdAt", "availableAt", "attachTime", "attachedAt", "detachAt"];
const volumeBooleans = ["encrypted", "deleteOnTermination"];

/** The columns of an instance, or of the part of one that changes: what is not a column (tags, volumes) is left out. */
function toRow(data: Partial<Instance>): Record<string, unknown> {
  const { tags: _tags, placementGroupName: _name, volumes: _volumes, blockDeviceMappings, ...rest } = data;
  return { ...rest, ...(blockDeviceMappings ? { blockDeviceMappings: JSON.stringify(blockDeviceMappings) } : {}) };
}

/** One pass over the row (DescribeInstances maps a hundred a page): NULL columns are left out, as optional fields. */
function toInstance(raw: InstanceRow, tags: Tag[]): Instance {
  const instance: Record<string, unknown> = {};
  for (const column in raw) {
    const value = raw[column];
    if (value !== null) instance[column] = value;
  }
  for (const column of instanceDates) if (typeof instance[column] === "string") instance[column] = new Date(instance[column] as string);
  for (const column of instanceBooleans) if (instance[column] !== undefined) instance[column] = instance[column] === 1;
  const devices = JSON.parse(raw.blockDeviceMappings as string) as InstanceBlockDevice[];
  for (const device of devices) device.Ebs.AttachTime = new Date(device.Ebs.AttachTime);
  instance.blockDeviceMappings = devices;
  instance.tags = tags;
  return instance as unknown as Instance;
}
