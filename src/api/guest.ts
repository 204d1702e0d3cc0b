// DescribeGuest (extension): the guest model of a disk, which AWS does not show but which decides how it boots.
import { Errors } from "../domain/errors.js";
import type { GuestModel } from "../domain/guest.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { ImageService } from "../services/images.js";
import type { VolumeService } from "../services/volumes.js";

interface DescribeGuestInput {
  ImageId?: string;
  SnapshotId?: string;
  VolumeId?: string;
}

const driverNames: Record<keyof GuestModel["kernel"]["drivers"], string> = {
  xenBlkfront: "xen-blkfront",
  xenNetfront: "xen-netfront",
  ixgbevf: "ixgbevf",
  ena: "ena",
  nvme: "nvme",
  nvidia: "nvidia",
};

export function guestOperations(images: ImageService, volumes: VolumeService): OperationTable {
  return {
    DescribeGuest: operation<DescribeGuestInput, object>({
      async handle(input, caller) {
        const given = (["ImageId", "SnapshotId", "VolumeId"] as const).filter((name) => input[name] !== undefined);
        if (given.length !== 1) {
          throw Errors.invalidParameterCombination(
            `Pass exactly one of ImageId, SnapshotId and VolumeId${given.length ? `, not ${given.join(" and ")}` : ""}.`,
          );
        }
        if (input.VolumeId !== undefined) {
          // The disk as it is now: a conversion's steps change it while they run.
          const volume = await volumes.get(caller, input.VolumeId);
          return {
            ResourceId: input.VolumeId,
            ...(volume.snapshotId ? { SnapshotId: volume.snapshotId } : {}),
            ...(volume.guest ? { Guest: guestInfo(volume.guest) } : {}),
          };
        }
        const found = input.ImageId !== undefined ? await images.rootGuest(caller, input.ImageId) : await images.snapshotGuest(caller, input.SnapshotId!);
        return { ResourceId: input.ImageId ?? input.SnapshotId, SnapshotId: found.snapshotId, ...(found.guest ? { Guest: guestInfo(found.guest) } : {}) };
      },
    }),
  };
}

export function guestInfo(guest: GuestModel) {
  return {
    OsFamily: guest.os.family,
    Distribution: guest.os.distribution,
    OsVersion: guest.os.version,
    KernelVersion: guest.kernel.version,
    KernelDrivers: Object.entries(driverNames)
      .filter(([key]) => guest.kernel.drivers[key as keyof typeof driverNames])
      .map(([, name]) => name),
    NvmeInInitramfs: guest.kernel.nvmeInInitramfs,
    CanBootHvm: guest.kernel.canBootHvm,
    Bootloader: guest.bootloader.kind,
    MenuLst: guest.bootloader.menuLst,
    Console: guest.bootloader.console,
    PartitionTable: guest.disk.partitionTable,
    Filesystem: guest.disk.filesystem,
    FilesystemUuid: guest.disk.uuid,
    FilesystemLabel: guest.disk.label,
    Lvm: guest.disk.lvm,
    FstabRoot: guest.fstabRoot,
  };
}
