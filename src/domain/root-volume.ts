// The root volume RunInstances makes from an image: a copy of the root snapshot (and its guest), sized and typed by
// the image's mapping unless the launch's own mapping for the root device overrides it, attached at launch.
import type { Delays } from "./delays.js";
import { Errors } from "./errors.js";
import type { BlockDeviceMapping, Image } from "./images.js";
import type { Snapshot } from "./snapshots.js";
import type { Tag } from "./tags.js";
import { resolveVolumeSpec, smallerThanSnapshot, type Volume, type VolumeType } from "./volumes.js";

export interface RootVolumeRequest {
  volumeId: string;
  instanceId: string;
  accountId: string;
  region: string;
  availabilityZone: string;
  image: Pick<Image, "imageId" | "rootDeviceName" | "blockDeviceMappings">;
  /** The snapshot the image's root mapping names (the caller looks it up). */
  rootSnapshot: Snapshot;
  /** RunInstances' BlockDeviceMapping for the root device, if it gave one. */
  override?: BlockDeviceMapping["Ebs"] & { Iops?: number; Throughput?: number };
  tags?: Tag[];
  now: Date;
  delays: Pick<Delays, "volumeAttachMs">;
}

/** The image's root mapping, which must name an EBS snapshot (RegisterImage guarantees it for EBS images). */
export function rootMapping(image: Pick<Image, "imageId" | "rootDeviceName" | "blockDeviceMappings">): BlockDeviceMapping & { Ebs: { SnapshotId: string } } {
  const mapping = image.blockDeviceMappings.find((m) => m.DeviceName === image.rootDeviceName);
  if (!mapping?.Ebs?.SnapshotId) {
    throw Errors.invalidBlockDeviceMapping(`The image ${image.imageId} has no EBS snapshot mapped to its root device ${image.rootDeviceName ?? "(none)"}.`);
  }
  return mapping as BlockDeviceMapping & { Ebs: { SnapshotId: string } };
}

/** The root volume, attached to the instance; it exists from the launch on (no creating state of its own). */
export function rootVolumeFromImage(request: RootVolumeRequest): Volume {
  const mapping = rootMapping(request.image);
  const snapshot = request.rootSnapshot;
  const override = request.override ?? {};
  const size = override.VolumeSize ?? mapping.Ebs.VolumeSize ?? snapshot.volumeSize;
  // At launch EC2 words this as a block device mapping error, not as CreateVolume's InvalidParameterValue.
  if (size < snapshot.volumeSize) throw Errors.invalidBlockDeviceMapping(smallerThanSnapshot(size, snapshot.snapshotId, snapshot.volumeSize));
  const spec = resolveVolumeSpec({
    volumeType: (override.VolumeType ?? mapping.Ebs.VolumeType ?? "gp2") as VolumeType,
    size,
    iops: override.Iops,
    throughput: override.Throughput,
  });
  const { now } = request;
  return {
    volumeId: request.volumeId,
    accountId: request.accountId,
    region: request.region,
    availabilityZone: request.availabilityZone,
    ...spec,
    encrypted: override.Encrypted ?? mapping.Ebs.Encrypted ?? snapshot.encrypted,
    snapshotId: snapshot.snapshotId,
    ...(snapshot.guest ? { guest: snapshot.guest } : {}),
    createdAt: now,
    availableAt: now,
    attachment: {
      instanceId: request.instanceId,
      device: mapping.DeviceName,
      attachTime: now,
      attachedAt: new Date(now.getTime() + request.delays.volumeAttachMs),
      deleteOnTermination: override.DeleteOnTermination ?? mapping.Ebs.DeleteOnTermination ?? true,
    },
    tags: request.tags ?? [],
  };
}
