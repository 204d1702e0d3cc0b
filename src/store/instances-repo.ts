// Instances and their tags. A launch places every instance and inserts it in one transaction, so capacity taken
// and instances stored can never disagree, and a launch that cannot place MinCount instances leaves nothing.
import type { Footprint } from "../domain/fleet.js";
import type { Instance, InstanceBlockDevice } from "../domain/instances.js";
import type { Tag } from "../domain/tags.js";
import type { Volume } from "../domain/volumes.js";
import { FleetRepo } from "./fleet-repo.js";
import { type Instance as InstanceRow, Prisma, type PrismaClient } from "./generated/client.js";
import { type Scope, scopeWhere } from "./scope.js";
import { insertTags, tagsByResource } from "./tags-repo.js";
import { insertVolume, releaseInstanceVolumes, volumesOfInstance, volumesOfInstances } from "./volumes-repo.js";

export interface GroupPlacement {
  groupId: string;
  strategy: "cluster" | "spread" | "partition";
  partitionCount?: number;
  partitionNumber?: number;
}

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

export type LaunchOutcome =
  | { kind: "launched"; instances: Instance[] }
  | { kind: "replayed"; instances: Instance[] }
  | { kind: "short"; placedAtBest: number; zone?: string; cause: "capacity" | "spread-limit" | "cluster-zone" };

/** A spread group runs at most this many instances per zone. */
export const spreadLimitPerZone = 7;

class Shortfall extends Error {
  constructor(readonly outcome: Extract<LaunchOutcome, { kind: "short" }>) {
    super("shortfall");
  }
}

export interface InstancePrefilter {
  instanceIds?: string[];
  instanceTypes?: string[];
  imageIds?: string[];
  availabilityZones?: string[];
  reservationIds?: string[];
  /** Literal tag conditions: the key, and values when the filter was tag:K. */
  tags?: Array<{ key: string; values?: string[] }>;
}

export class InstancesRepo {
  constructor(private readonly prisma: PrismaClient) {}

  async launch(plan: LaunchPlan): Promise<LaunchOutcome> {
    let best: Extract<LaunchOutcome, { kind: "short" }> = { kind: "short", placedAtBest: 0, cause: "capacity" };
    for (const zone of plan.zones) {
      try {
        return await this.prisma.$transaction(async (tx) => {
          if (plan.clientToken) {
            const earlier = await tx.instance.findMany({ where: { ...scopeWhere(plan.scope), clientToken: plan.clientToken }, orderBy: { launchIndex: "asc" } });
            if (earlier.length > 0) return { kind: "replayed" as const, instances: await this.withTags(tx, plan.scope, earlier) };
          }
          const placed = await placeInZone(tx, plan, zone);
          // Rolling back gives back whatever this zone's servers gave.
          if (placed.length < plan.minCount) throw new Shortfall({ kind: "short", placedAtBest: placed.length, zone, cause: placed.cause ?? "capacity" });
          await tx.instance.createMany({ data: placed.map(toRow) });
          for (const instance of placed) {
            await insertTags(tx, { resourceId: instance.instanceId, resourceType: "instance", ...scopeWhere(plan.scope) }, instance.tags);
            for (const volume of plan.volumes(instance)) await insertVolume(tx, volume);
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
    const conditions = [Prisma.sql`"accountId" = ${scope.accountId}`, Prisma.sql`"region" = ${scope.region}`];
    if (options.afterId) conditions.push(Prisma.sql`"instanceId" > ${options.afterId}`);
    const pre = options.prefilter ?? {};
    const column = (name: string, values: string[] | undefined) => {
      if (values) conditions.push(Prisma.sql`${Prisma.raw(`"${name}"`)} IN (${Prisma.join(values)})`);
    };
    column("instanceId", pre.instanceIds);
    column("instanceType", pre.instanceTypes);
    column("imageId", pre.imageIds);
    column("availabilityZone", pre.availabilityZones);
    column("reservationId", pre.reservationIds);
    for (const tag of pre.tags ?? []) {
      conditions.push(
        Prisma.sql`"instanceId" IN (SELECT "resourceId" FROM "Tag" WHERE "accountId" = ${scope.accountId} AND "region" = ${scope.region} AND "resourceType" = 'instance' AND "key" = ${tag.key}${tag.values ? Prisma.sql` AND "value" IN (${Prisma.join(tag.values)})` : Prisma.empty})`,
      );
    }
    const ids = await this.prisma.$queryRaw<Array<{ instanceId: string }>>`SELECT "instanceId" FROM "Instance" WHERE ${Prisma.join(conditions, " AND ")} ORDER BY "instanceId" LIMIT ${options.take}`;
    if (ids.length === 0) return { instances: [] };
    const instances = await this.find(scope, ids.map((row) => row.instanceId));
    return { instances, ...(ids.length === options.take ? { scannedUntil: ids[ids.length - 1]!.instanceId } : {}) };
  }

  async find(scope: Scope, instanceIds: readonly string[]): Promise<Instance[]> {
    const rows = await this.prisma.instance.findMany({ where: { ...scopeWhere(scope), instanceId: { in: [...instanceIds] } }, orderBy: { instanceId: "asc" } });
    return this.withTags(this.prisma, scope, rows);
  }

  /** Applies state changes (and the capacity they take or give back) to several instances at once. */
  async transition(
    changes: ReadonlyArray<{ instanceId: string; data: Partial<Instance>; release?: { serverId: string; footprint: Footprint }; releaseVolumesAt?: Date }>,
    scope: Scope,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      for (const change of changes) {
        if (change.release) await FleetRepo.release(tx, change.release.serverId, change.release.footprint);
        if (change.releaseVolumesAt) await releaseInstanceVolumes(tx, scope, change.instanceId, change.releaseVolumesAt);
        // Given back: the instance is off its server until it starts again.
        await tx.instance.update({ where: { instanceId: change.instanceId, ...scopeWhere(scope) }, data: { ...toPartialRow(change.data), ...(change.release ? { serverId: null } : {}) } });
      }
    });
  }

  /** Starts a stopped instance: takes capacity on a server of its zone, or answers undefined when there is none. */
  async restart(scope: Scope, instanceId: string, placement: { availabilityZone: string; hostClasses: readonly string[]; footprint: Footprint; dedicatedHostId?: string }, data: Partial<Instance>): Promise<string | undefined> {
    return this.prisma.$transaction(async (tx) => {
      const serverId = await FleetRepo.place(tx, { ...placement });
      if (!serverId) return undefined;
      await tx.instance.update({ where: { instanceId, ...scopeWhere(scope) }, data: toPartialRow({ ...data, serverId }) });
      return serverId;
    });
  }

  /** The volumes attached to the instance now (the root one carries the guest it boots). */
  async volumes(scope: Scope, instanceId: string, now: Date): Promise<Volume[]> {
    return volumesOfInstance(this.prisma, scope, instanceId, now);
  }

  async update(scope: Scope, instanceId: string, data: Partial<Instance>): Promise<void> {
    await this.prisma.instance.update({ where: { instanceId, ...scopeWhere(scope) }, data: toPartialRow(data) });
  }

  /** Instances on these servers, of every account: for the fleet view, which shows ids only to their owner. */
  async onServers(serverIds: readonly string[]): Promise<Array<Pick<Instance, "instanceId" | "accountId" | "instanceType" | "state" | "transitionEndsAt"> & { serverId: string }>> {
    const rows = await this.prisma.instance.findMany({
      where: { serverId: { in: [...serverIds] }, state: { in: ["pending", "running"] } },
      select: { instanceId: true, accountId: true, instanceType: true, state: true, transitionEndsAt: true, serverId: true },
      orderBy: { instanceId: "asc" },
    });
    return rows.map((row) => ({ ...row, serverId: row.serverId!, state: row.state as Instance["state"] }));
  }

  private async withTags(db: PrismaClient | Prisma.TransactionClient, scope: Scope, rows: InstanceRow[]): Promise<Instance[]> {
    const tags = await tagsByResource(db, scope, "instance", rows.map((row) => row.instanceId));
    const groupIds = [...new Set(rows.flatMap((row) => (row.placementGroupId ? [row.placementGroupId] : [])))];
    const groups = groupIds.length ? await db.placementGroup.findMany({ where: { groupId: { in: groupIds } }, select: { groupId: true, groupName: true } }) : [];
    const groupNames = new Map(groups.map((group) => [group.groupId, group.groupName]));
    const volumes = await volumesOfInstances(db, scope, rows.map((row) => row.instanceId));
    return rows.map((row) => {
      const instance = { ...toInstance(row, tags.get(row.instanceId) ?? []), volumes: volumes.filter((volume) => volume.attachment?.instanceId === row.instanceId) };
      const groupName = row.placementGroupId ? groupNames.get(row.placementGroupId) : undefined;
      return groupName ? { ...instance, placementGroupName: groupName } : instance;
    });
  }
}

type PlacedInZone = Instance[] & { cause?: "capacity" | "spread-limit" | "cluster-zone" };

/** Places up to MaxCount instances in one zone, following the placement group's strategy. */
async function placeInZone(tx: Prisma.TransactionClient, plan: LaunchPlan, zone: string): Promise<PlacedInZone> {
  const placed: PlacedInZone = [];
  const group = plan.group;
  let groupMembers: Array<{ serverId: string | null; partitionNumber: number | null; availabilityZone: string }> = [];
  if (group) {
    groupMembers = await tx.instance.findMany({ where: { placementGroupId: group.groupId, state: { in: ["pending", "running"] } }, select: { serverId: true, partitionNumber: true, availabilityZone: true } });
    if (group.strategy === "cluster" && groupMembers.some((member) => member.availabilityZone !== zone)) {
      placed.cause = "cluster-zone";
      return placed;
    }
  }
  for (let index = 0; index < plan.maxCount; index++) {
    let excludeServers: string[] = [];
    let partitionNumber: number | undefined;
    if (group?.strategy === "spread") {
      const inZone = groupMembers.filter((member) => member.availabilityZone === zone);
      if (inZone.length >= spreadLimitPerZone) {
        placed.cause = "spread-limit";
        break;
      }
      excludeServers = inZone.flatMap((member) => (member.serverId ? [member.serverId] : []));
    } else if (group?.strategy === "partition") {
      partitionNumber = group.partitionNumber ?? leastUsedPartition(groupMembers, zone, group.partitionCount ?? 2);
      excludeServers = groupMembers.filter((m) => m.availabilityZone === zone && m.partitionNumber !== partitionNumber && m.serverId).map((m) => m.serverId!);
    }
    let serverId: string | undefined;
    let hostId: string | undefined;
    for (const candidateHost of plan.dedicatedHostIds ?? [undefined]) {
      serverId = await FleetRepo.place(tx, { availabilityZone: zone, hostClasses: plan.hostClasses, footprint: plan.footprint, excludeServers, ...(candidateHost ? { dedicatedHostId: candidateHost } : {}) });
      if (serverId) {
        hostId = candidateHost;
        break;
      }
    }
    if (!serverId) break;
    const instance = plan.build({ availabilityZone: zone, serverId, launchIndex: index, ...(hostId ? { hostId } : {}), ...(partitionNumber ? { partitionNumber } : {}) });
    placed.push(instance);
    groupMembers.push({ serverId, partitionNumber: partitionNumber ?? null, availabilityZone: zone });
  }
  return placed;
}

function leastUsedPartition(members: ReadonlyArray<{ partitionNumber: number | null; availabilityZone: string }>, zone: string, count: number): number {
  const used = Array.from({ length: count }, (_, i) => members.filter((m) => m.availabilityZone === zone && m.partitionNumber === i + 1).length);
  return used.indexOf(Math.min(...used)) + 1;
}

function toRow(instance: Instance) {
  const { tags: _tags, placementGroupName: _name, volumes: _volumes, blockDeviceMappings, ...rest } = instance;
  return { ...rest, blockDeviceMappings: JSON.stringify(blockDeviceMappings) };
}

function toPartialRow(data: Partial<Instance>) {
  const { tags: _tags, placementGroupName: _name, volumes: _volumes, blockDeviceMappings, ...rest } = data;
  return { ...rest, ...(blockDeviceMappings ? { blockDeviceMappings: JSON.stringify(blockDeviceMappings) } : {}) };
}

function toInstance(row: InstanceRow, tags: Tag[]): Instance {
  const { blockDeviceMappings, ...rest } = row;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null)) as unknown as Omit<Instance, "blockDeviceMappings" | "tags">;
  const devices = (JSON.parse(blockDeviceMappings) as InstanceBlockDevice[]).map((d) => ({ ...d, Ebs: { ...d.Ebs, AttachTime: new Date(d.Ebs.AttachTime) } }));
  return { ...defined, blockDeviceMappings: devices, tags };
}
