// DescribeImages' filter names, read from an image.
import type { Clock } from "../clock.js";
import type { FilterSpec } from "../filters.js";
import { billingOf, type Image, imageState } from "../images.js";

export function imageFilters(clock: Clock): FilterSpec<Image> {
  const ebs = (image: Image) => image.blockDeviceMappings.filter((m) => m.Ebs);
  return {
    fields: {
      architecture: (i) => i.architecture,
      "block-device-mapping.delete-on-termination": (i) => ebs(i).map((m) => String(m.Ebs!.DeleteOnTermination)),
      "block-device-mapping.device-name": (i) => i.blockDeviceMappings.map((m) => m.DeviceName),
      "block-device-mapping.snapshot-id": (i) => ebs(i).flatMap((m) => (m.Ebs!.SnapshotId ? [m.Ebs!.SnapshotId] : [])),
      "block-device-mapping.volume-size": (i) => ebs(i).map((m) => String(m.Ebs!.VolumeSize)),
      "block-device-mapping.volume-type": (i) => ebs(i).map((m) => m.Ebs!.VolumeType ?? "gp2"),
      "block-device-mapping.encrypted": (i) => ebs(i).map((m) => String(m.Ebs!.Encrypted ?? false)),
      "boot-mode": (i) => i.bootMode,
      "creation-date": (i) => i.createdAt.toISOString(),
      description: (i) => i.description,
      "ena-support": (i) => i.enaSupport,
      // EC2 reports xen for Xen and Nitro alike (HypervisorType is ovm | xen).
      hypervisor: () => "xen",
      "image-id": (i) => i.imageId,
      "image-type": (i) => i.imageType,
      "is-public": (i) => i.public,
      "kernel-id": (i) => i.kernelId,
      name: (i) => i.name,
      "owner-alias": (i) => i.ownerAlias,
      "owner-id": (i) => i.accountId,
      platform: (i) => i.platform,
      "platform-details": (i) => billingOf(i).platformDetails,
      "ramdisk-id": (i) => i.ramdiskId,
      "root-device-name": (i) => i.rootDeviceName,
      "root-device-type": (i) => i.rootDeviceType,
      // A copy's source (CopyImage); other images have none, so these filters match only copies.
      "source-image-id": (i) => i.sourceImageId,
      "source-image-region": (i) => i.sourceRegion,
      "sriov-net-support": (i) => i.sriovNetSupport,
      state: (i) => imageState(i, clock.now()),
      "virtualization-type": (i) => i.virtualizationType,
    },
    tags: (i) => i.tags,
  };
}
