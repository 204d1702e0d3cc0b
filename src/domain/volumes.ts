// EBS volumes: the record, its state and its attachment on the clock, and EC2's size, IOPS and throughput rules
// per volume type (the numbers are those of the service model's CreateVolume documentation).
import { Errors } from "./errors.js";
import type { GuestModel } from "./guest.js";
import type { Tag } from "./tags.js";

export const volumeTypes = ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"] as const;
export type VolumeType = (typeof volumeTypes)[number];

export interface Attachment {
  instanceId: string;
  device: string;
  /** When the attachment was asked for: EC2's AttachTime. */
  attachTime: Date;
  /** attaching until then, attached after. */
  attachedAt: Date;
  /** Set by a detach: detaching until then, and the volume is available again after. */
  detachAt?: Date;
  deleteOnTermination: boolean;
}

export interface Volume {
  volumeId: string;
  accountId: string;
  region: string;
  availabilityZone: string;
  size: number;
  volumeType: VolumeType;
  /** Provisioned IOPS (gp3, io1, io2); gp2's baseline is derived from the size, the HDD types have none. */
  iops?: number;
  throughput?: number;
  encrypted: boolean;
  /** The KMS key asked for with Encrypted, as an ARN (none: the account's default key). */
  kmsKeyId?: string;
  snapshotId?: string;
  /** What the disk holds. Absent for a blank volume: no filesystem, nothing boots from it. */
  guest?: GuestModel;
  createdAt: Date;
  availableAt: Date;
  /** EBS Multi-Attach: up to `maxMultiAttachments` live attachments, to Nitro instances of its zone. */
  multiAttachEnabled: boolean;
  /** Its attachments as stored, finished detaches included: `liveAttachments` says which stand at a time. */
  attachments: Attachment[];
  tags: Tag[];
}

/** A volume as one instance sees it: with its attachment to that instance, and without the others. */
export type AttachedVolume = Omit<Volume, "attachments"> & { attachment: Attachment };

/** What an instance's block device list shows of a volume attached to it: DescribeInstances reads only this. */
export type InstanceVolume = Pick<Volume, "volumeId" | "size" | "volumeType" | "snapshotId"> & { attachment: Attachment };

/** EC2's limit on the instances one Multi-Attach volume is attached to at once. */
export const maxMultiAttachments = 16;
/** The only types that take Multi-Attach at creation; after it, only io2 turns it on or off. */
export const multiAttachTypes: readonly VolumeType[] = ["io1", "io2"];

export type VolumeState = "creating" | "available" | "in-use";
export type AttachmentState = "attaching" | "attached" | "detaching";

/** Whether the attachment still stands at `now`: attaching, attached or detaching, not yet gone. */
export function isLive(attachment: Attachment, now: Date): boolean {
  return !attachment.detachAt || now.getTime() < attachment.detachAt.getTime();
}

/** The attachments as they stand at `now`, in attach order. */
export function liveAttachments(volume: Pick<Volume, "attachments">, now: Date): Attachment[] {
  return volume.attachments.filter((attachment) => isLive(attachment, now)).sort((a, b) => a.attachTime.getTime() - b.attachTime.getTime());
}

export function attachmentState(attachment: Attachment, now: Date): AttachmentState {
  if (attachment.detachAt) return "detaching";
  return now.getTime() >= attachment.attachedAt.getTime() ? "attached" : "attaching";
}

/** in-use while any attachment stands. */
export function volumeState(volume: Pick<Volume, "availableAt" | "attachments">, now: Date): VolumeState {
  if (now.getTime() < volume.availableAt.getTime()) return "creating";
  return liveAttachments(volume, now).length > 0 ? "in-use" : "available";
}

/** CreateVolume's MultiAttachEnabled: io1 and io2 only. */
export function checkMultiAttachType(volumeType: VolumeType): void {
  if (!multiAttachTypes.includes(volumeType)) throw Errors.multiAttachVolumeType(volumeType);
}

/**
 * ModifyVolume's MultiAttachEnabled, as the EBS User Guide states it: after creation only an io2 volume turns
 * Multi-Attach on or off, and only while attached to no instance; a type change keeps an enabled volume io1 or io2.
 * Answers the target flag.
 */
export function modifiedMultiAttach(
  volume: Pick<Volume, "volumeId" | "multiAttachEnabled">,
  targetType: VolumeType,
  requested: boolean | undefined,
  attachedTo: readonly string[],
): boolean {
  const target = requested ?? volume.multiAttachEnabled;
  if (target !== volume.multiAttachEnabled) {
    if (targetType !== "io2") throw Errors.multiAttachModifyType(volume.volumeId, targetType);
    if (attachedTo.length > 0) throw Errors.multiAttachModifyAttached(volume.volumeId, attachedTo);
  }
  if (target) checkMultiAttachType(targetType);
  return target;
}

/** gp2's baseline: 3 IOPS per GiB, at least 100 and at most 16,000. */
export function reportedIops(volume: Pick<Volume, "volumeType" | "size" | "iops">): number | undefined {
  if (volume.volumeType === "gp2") return Math.min(16_000, Math.max(100, 3 * volume.size));
  return volume.iops;
}

interface TypeRules {
  minSize: number;
  maxSize: number;
  /** Provisioned IOPS: required (io1, io2), optional with a default (gp3), or refused (none). */
  iops?: { required: boolean; min: number; max: number; perGiB: number; default?: number };
  throughput?: { min: number; max: number; default: number; perIops: number };
}

const rules: Record<VolumeType, TypeRules> = {
  gp2: { minSize: 1, maxSize: 16_384 },
  gp3: {
    minSize: 1,
    maxSize: 65_536,
    iops: { required: false, min: 3000, max: 80_000, perGiB: 500, default: 3000 },
    throughput: { min: 125, max: 2000, default: 125, perIops: 0.25 },
  },
  io1: { minSize: 4, maxSize: 16_384, iops: { required: true, min: 100, max: 64_000, perGiB: 50 } },
  io2: { minSize: 4, maxSize: 65_536, iops: { required: true, min: 100, max: 256_000, perGiB: 1000 } },
  st1: { minSize: 125, maxSize: 16_384 },
  sc1: { minSize: 125, maxSize: 16_384 },
  standard: { minSize: 1, maxSize: 1024 },
};

export interface VolumeSpecRequest {
  volumeType?: VolumeType;
  size?: number;
  iops?: number;
  throughput?: number;
  /** The source snapshot: the size defaults to its size and may not be smaller. */
  snapshot?: { snapshotId: string; volumeSize: number };
}

export interface VolumeSpec {
  volumeType: VolumeType;
  size: number;
  iops?: number;
  throughput?: number;
}

/** EC2's defaults and limits for a new (or modified) volume; the error names what to change. */
export function resolveVolumeSpec(request: VolumeSpecRequest): VolumeSpec {
  const volumeType = request.volumeType ?? "gp2";
  const rule = rules[volumeType];
  const { snapshot } = request;
  if (request.size === undefined && !snapshot) throw Errors.missingParameter("size or snapshotId");
  const size = request.size ?? snapshot!.volumeSize;
  if (snapshot && size < snapshot.volumeSize) throw Errors.invalidParameterValue(smallerThanSnapshot(size, snapshot.snapshotId, snapshot.volumeSize));
  if (size < rule.minSize) throw Errors.invalidParameterValue(`Volume of ${size}GiB is too small for a ${volumeType} volume; minimum is ${rule.minSize}GiB.`);
  if (size > rule.maxSize) throw Errors.invalidParameterValue(`Volume of ${size}GiB is too large for a ${volumeType} volume; maximum is ${rule.maxSize}GiB.`);

  let iops: number | undefined;
  if (!rule.iops) {
    if (request.iops !== undefined) throw Errors.invalidParameterCombination(`The parameter iops is not supported for ${volumeType} volumes.`);
  } else {
    if (request.iops === undefined && rule.iops.required)
      throw Errors.invalidParameterCombination(`The parameter iops must be specified for ${volumeType} volumes.`);
    iops = request.iops ?? rule.iops.default!;
    if (iops < rule.iops.min) throw Errors.invalidParameterValue(`Volume iops of ${iops} is too low; minimum is ${rule.iops.min}.`);
    if (iops > rule.iops.max) throw Errors.invalidParameterValue(`Volume iops of ${iops} is too high; maximum is ${rule.iops.max}.`);
    // gp3's 3,000 IOPS baseline is free of the ratio: every gp3 volume gets it, whatever its size.
    if (iops / size > rule.iops.perGiB && !(volumeType === "gp3" && iops <= rule.iops.default!)) {
      throw Errors.invalidParameterValue(`Iops to volume size ratio of ${(iops / size).toFixed(6)} is too high; maximum is ${rule.iops.perGiB}`);
    }
  }

  let throughput: number | undefined;
  if (!rule.throughput) {
    if (request.throughput !== undefined)
      throw Errors.invalidParameterCombination(`The parameter throughput is not supported for ${volumeType} volumes. Only gp3 volumes take it.`);
  } else {
    throughput = request.throughput ?? rule.throughput.default;
    if (throughput < rule.throughput.min)
      throw Errors.invalidParameterValue(`Throughput of ${throughput} MiB/s is too low; minimum is ${rule.throughput.min} MiB/s.`);
    if (throughput > rule.throughput.max)
      throw Errors.invalidParameterValue(`Throughput of ${throughput} MiB/s is too high; maximum is ${rule.throughput.max} MiB/s.`);
    if (throughput > rule.throughput.default && throughput / iops! > rule.throughput.perIops) {
      throw Errors.invalidParameterValue(
        `Throughput (MiBps) to iops ratio of ${(throughput / iops!).toFixed(6)} is too high; maximum is ${rule.throughput.perIops.toFixed(6)} MiBps per iops.`,
      );
    }
  }
  return { volumeType, size, ...(iops !== undefined ? { iops } : {}), ...(throughput !== undefined ? { throughput } : {}) };
}

export function smallerThanSnapshot(size: number, snapshotId: string, snapshotSize: number): string {
  return `Volume of size ${size}GB is smaller than snapshot '${snapshotId}', expect size >= ${snapshotSize}GB`;
}

/** A ModifyVolume's original or target: the spec and the Multi-Attach flag. */
export interface ModifiedSpec extends VolumeSpec {
  multiAttachEnabled: boolean;
}

/**
 * What ModifyVolume asks for, merged with what the volume has: unchanged IOPS carry over between types that
 * provision them. `attachedTo` are the instances the volume is attached to now (Multi-Attach changes need none).
 */
export function modifiedSpec(
  volume: Pick<Volume, "volumeId" | "volumeType" | "size" | "iops" | "throughput" | "multiAttachEnabled">,
  request: Omit<VolumeSpecRequest, "snapshot"> & { multiAttachEnabled?: boolean },
  attachedTo: readonly string[],
): ModifiedSpec {
  if (request.size !== undefined && request.size < volume.size) throw Errors.invalidParameterValue("New size cannot be smaller than existing size");
  const volumeType = request.volumeType ?? volume.volumeType;
  const target = resolveVolumeSpec({
    volumeType,
    size: request.size ?? volume.size,
    iops: request.iops ?? (rules[volumeType].iops && volume.iops !== undefined ? volume.iops : undefined),
    throughput: request.throughput ?? (rules[volumeType].throughput ? volume.throughput : undefined),
  });
  const multiAttachEnabled = modifiedMultiAttach(volume, target.volumeType, request.multiAttachEnabled, attachedTo);
  if (
    target.volumeType === volume.volumeType &&
    target.size === volume.size &&
    target.iops === volume.iops &&
    target.throughput === volume.throughput &&
    multiAttachEnabled === volume.multiAttachEnabled
  ) {
    throw Errors.invalidParameterCombination(
      `The request changes nothing: volume ${volume.volumeId} already has these settings. Pass a new size, type, iops, throughput or MultiAttachEnabled.`,
    );
  }
  return { ...target, multiAttachEnabled };
}

export interface Modification {
  modificationId: string;
  volumeId: string;
  original: ModifiedSpec;
  target: ModifiedSpec;
  startTime: Date;
  optimizingAt: Date;
  completesAt: Date;
}

export type ModificationState = "modifying" | "optimizing" | "completed";

export function modificationState(modification: Pick<Modification, "optimizingAt" | "completesAt">, now: Date): ModificationState {
  if (now.getTime() >= modification.completesAt.getTime()) return "completed";
  return now.getTime() >= modification.optimizingAt.getTime() ? "optimizing" : "modifying";
}

/** Progress in percent, linear over the modification's duration. */
export function modificationProgress(modification: Pick<Modification, "startTime" | "completesAt">, now: Date): number {
  return linearProgress(modification.startTime, modification.completesAt, now);
}

export function linearProgress(start: Date, end: Date, now: Date): number {
  const total = end.getTime() - start.getTime();
  if (total <= 0 || now.getTime() >= end.getTime()) return 100;
  return Math.max(0, Math.min(99, Math.floor(((now.getTime() - start.getTime()) / total) * 100)));
}
