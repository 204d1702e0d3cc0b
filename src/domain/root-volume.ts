// The root device of an EBS image: the mapping that names the snapshot its instances' root volumes are copied from.
import { Errors } from "./errors.js";
import type { BlockDeviceMapping, Image } from "./images.js";

/** The image's root mapping, which must name an EBS snapshot (RegisterImage guarantees it for EBS images). */
export function rootMapping(image: Pick<Image, "imageId" | "rootDeviceName" | "blockDeviceMappings">): BlockDeviceMapping & { Ebs: { SnapshotId: string } } {
  const mapping = image.blockDeviceMappings.find((m) => m.DeviceName === image.rootDeviceName);
  if (!mapping?.Ebs?.SnapshotId) {
    throw Errors.invalidBlockDeviceMapping(`The image ${image.imageId} has no EBS snapshot mapped to its root device ${image.rootDeviceName ?? "(none)"}.`);
  }
  return mapping as BlockDeviceMapping & { Ebs: { SnapshotId: string } };
}
