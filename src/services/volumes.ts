// Volume use cases: create (blank or from a snapshot), describe, delete, modify, and the modifications' history.
import { randomUUID } from "node:crypto";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { kmsKeyArn } from "../domain/kms-keys.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { volumeStatusFilters } from "../domain/filters/volume-status.js";
import { modificationFilters, volumeFilters } from "../domain/filters/volumes.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import type { Topology } from "../domain/regions.js";
import { type Snapshot, snapshotState, usableSnapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import { type VolumeStatusReport, volumeStatusOf } from "../domain/volume-status.js";
import {
  checkMultiAttachType,
  liveAttachments,
  type Modification,
  modifiedSpec,
  resolveVolumeSpec,
  type Volume,
  type VolumeType,
  volumeState,
} from "../domain/volumes.js";
import type { EbsEncryptionRepo } from "../store/ebs-encryption-repo.js";
import type { SnapshotsRepo } from "../store/snapshots-repo.js";
import type { VolumesRepo } from "../store/volumes-repo.js";

export interface CreateVolumeInput {
  availabilityZone?: string;
  availabilityZoneId?: string;
  size?: number;
  volumeType?: VolumeType;
  iops?: number;
  throughput?: number;
  snapshotId?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  multiAttachEnabled?: boolean;
  tags: Tag[];
}

export interface ModifyVolumeInput {
  size?: number;
  volumeType?: VolumeType;
  iops?: number;
  throughput?: number;
  multiAttachEnabled?: boolean;
}

export class VolumeService {
  constructor(
    private readonly volumes: VolumesRepo,
    private readonly snapshots: SnapshotsRepo,
    private readonly topology: Topology,
    private readonly clock: Clock,
    private readonly delays: Delays,
    /** EBS encryption by default: while the account has it on, every new volume is encrypted. */
    private readonly ebsEncryption: EbsEncryptionRepo,
  ) {}

  async create(caller: Caller, input: CreateVolumeInput): Promise<Volume> {
    const availabilityZone = this.zoneOf(caller, input);
    const kmsKeyId = kmsKeyArn(input.kmsKeyId, input.encrypted, caller);
    const snapshot = input.snapshotId ? await this.usableSnapshot(caller, input.snapshotId) : undefined;
    const spec = resolveVolumeSpec({ volumeType: input.volumeType, size: input.size, iops: input.iops, throughput: input.throughput, snapshot });
    if (input.multiAttachEnabled) checkMultiAttachType(spec.volumeType);
    const now = this.clock.now();
    const volume: Volume = {
      volumeId: newId("vol"),
      accountId: caller.accountId,
      region: caller.region,
      availabilityZone,
      ...spec,
      // A volume from an encrypted snapshot is always encrypted, and so is every one under encryption by default.
      encrypted: input.encrypted === true || snapshot?.encrypted === true || (await this.ebsEncryption.isEnabled(caller)),
      ...(kmsKeyId ? { kmsKeyId } : {}),
      ...(snapshot ? { snapshotId: snapshot.snapshotId } : {}),
      ...(snapshot?.guest ? { guest: snapshot.guest } : {}),
      createdAt: now,
      availableAt: new Date(now.getTime() + this.delays.volumeAvailableMs),
      multiAttachEnabled: input.multiAttachEnabled === true,
      attachments: [],
      tags: input.tags,
    };
    await this.volumes.insert(volume);
    return volume;
  }

  /** The caller's volumes, or exactly these ids (each must exist), that match the filters. */
  async describe(caller: Caller, volumeIds?: readonly string[], filters?: readonly Filter[]): Promise<Volume[]> {
    for (const id of volumeIds ?? []) checkVolumeId(id);
    const found = await this.volumes.list(caller, volumeIds);
    const missing = (volumeIds ?? []).filter((id) => !found.some((volume) => volume.volumeId === id));
    if (missing.length > 0) throw Errors.volumeNotFound([...new Set(missing)]);
    return applyFilters(found, filters, volumeFilters(this.clock.now()));
  }

  /** DescribeVolumeStatus: the status of the caller's volumes, or of exactly these ids, that match the filters. */
  async statuses(caller: Caller, volumeIds?: readonly string[], filters?: readonly Filter[]): Promise<VolumeStatusReport[]> {
    const now = this.clock.now();
    const reports = (await this.describe(caller, volumeIds)).map((volume) => volumeStatusOf(volume, now));
    return applyFilters(reports, filters, volumeStatusFilters);
  }

  /** An available volume of the caller's; in use or still creating is an error that says what to wait for. */
  async delete(caller: Caller, volumeId: string): Promise<void> {
    const volume = await this.get(caller, volumeId);
    const now = this.clock.now();
    if (volumeState(volume, now) === "creating") {
      throw Errors.incorrectState(`The volume '${volumeId}' is 'creating'. Delete it once it is 'available'.`);
    }
    const result = await this.volumes.delete(caller, volumeId, now);
    if (result === "missing") throw Errors.volumeNotFound([volumeId]);
    if (result !== "deleted") throw Errors.volumeInUse(volumeId, result.attachedTo);
  }

  async modify(caller: Caller, volumeId: string, input: ModifyVolumeInput): Promise<Modification> {
    const volume = await this.get(caller, volumeId);
    const now = this.clock.now();
    if (volumeState(volume, now) === "creating") {
      throw Errors.incorrectState(`The volume '${volumeId}' is 'creating'. Modify it once it is 'available' or 'in-use'.`);
    }
    const attachedTo = liveAttachments(volume, now).map((attachment) => attachment.instanceId);
    const target = modifiedSpec(volume, input, attachedTo);
    const optimizingAt = new Date(now.getTime() + this.delays.volumeModifyingMs);
    const modification: Modification = {
      modificationId: randomUUID(),
      volumeId,
      original: {
        volumeType: volume.volumeType,
        size: volume.size,
        ...(volume.iops !== undefined ? { iops: volume.iops } : {}),
        ...(volume.throughput !== undefined ? { throughput: volume.throughput } : {}),
        multiAttachEnabled: volume.multiAttachEnabled,
      },
      target,
      startTime: now,
      optimizingAt,
      completesAt: new Date(optimizingAt.getTime() + this.delays.volumeOptimizingMs),
    };
    if (!(await this.volumes.modify(caller, modification))) throw Errors.incorrectModificationState(volumeId);
    return modification;
  }

  /** The latest modification of each of the caller's volumes, or of these volumes (each must have one), that match the filters. */
  async modifications(caller: Caller, volumeIds?: readonly string[], filters?: readonly Filter[]): Promise<Modification[]> {
    if (volumeIds?.length) await this.describe(caller, volumeIds);
    const found = await this.volumes.latestModifications(caller, volumeIds);
    const without = (volumeIds ?? []).find((id) => !found.some((m) => m.volumeId === id));
    if (without) throw Errors.volumeModificationNotFound(without);
    return applyFilters(found, filters, modificationFilters(this.clock.now()));
  }

  /** One volume of the caller's (without its tags). */
  get(caller: Caller, volumeId: string): Promise<Volume> {
    return ownVolume(this.volumes, caller, volumeId);
  }

  /** AvailabilityZone or AvailabilityZoneId (not both), a zone of the signing region. */
  private zoneOf(caller: Caller, input: CreateVolumeInput): string {
    if (input.availabilityZone && input.availabilityZoneId) {
      throw Errors.invalidParameterCombination("Specify either AvailabilityZone or AvailabilityZoneId, not both.");
    }
    const zones = this.topology.region(caller.region)!.zones;
    if (input.availabilityZoneId) {
      const zone = zones.find((z) => z.zoneId === input.availabilityZoneId);
      if (!zone) throw Errors.zoneNotFound(input.availabilityZoneId);
      return zone.zoneName;
    }
    if (!input.availabilityZone) throw Errors.missingParameter("AvailabilityZone");
    if (!zones.some((z) => z.zoneName === input.availabilityZone)) throw Errors.zoneNotFound(input.availabilityZone);
    return input.availabilityZone;
  }

  private async usableSnapshot(caller: Caller, snapshotId: string): Promise<Snapshot> {
    if (!isWellFormedId(snapshotId, "snap")) throw Errors.snapshotMalformed(snapshotId);
    const snapshot = usableSnapshot(await this.snapshots.find(caller.region, snapshotId), snapshotId, caller.accountId);
    if (snapshotState(snapshot, this.clock.now()) !== "completed") {
      throw Errors.incorrectState(`Snapshot '${snapshotId}' is not completed yet (pending). Create the volume once describe-snapshots shows it completed.`);
    }
    return snapshot;
  }
}

export function checkVolumeId(id: string): void {
  if (!isWellFormedId(id, "vol")) throw Errors.volumeMalformed(id);
}

/** The caller's volume with this id, or EC2's Malformed or NotFound: the lookup every volume use case starts with. */
export async function ownVolume(volumes: VolumesRepo, caller: Caller, volumeId: string): Promise<Volume> {
  checkVolumeId(volumeId);
  const volume = await volumes.find(caller, volumeId);
  if (!volume) throw Errors.volumeNotFound([volumeId]);
  return volume;
}
