// DescribeGuest (extension): the guest model of a disk, which AWS does not show but which decides how it boots.
import { Errors } from "../domain/errors.js";
import { bootConfiguration, bootModesOf, type GuestModel, kernelArchitecture, networkNamingOf, windowsPvDriversOf } from "../domain/guest.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { GuestRepairService } from "../services/guest-repairs.js";
import type { ImageService } from "../services/images.js";
import type { VolumeService } from "../services/volumes.js";

interface DescribeGuestInput {
  ImageId?: string;
  SnapshotId?: string;
  VolumeId?: string;
  InstanceId?: string;
}

const driverNames: Record<keyof GuestModel["kernel"]["drivers"], string> = {
  xenBlkfront: "xen-blkfront",
  xenNetfront: "xen-netfront",
  ixgbevf: "ixgbevf",
  ena: "ena",
  nvme: "nvme",
  nvidia: "nvidia",
};

interface RepairGuestInput {
  VolumeId?: string;
  InstanceId?: string;
  Repair?: string;
}

export function guestOperations(images: ImageService, volumes: VolumeService, repairs: GuestRepairService): OperationTable {
  return {
    RepairGuest: operation<RepairGuestInput, object>({
      async handle(input, caller) {
        if (input.Repair === undefined) throw Errors.missingParameter("Repair");
        const result = await repairs.repair(caller, { volumeId: input.VolumeId, instanceId: input.InstanceId }, input.Repair);
        return { VolumeId: result.volumeId, Repair: result.repair, Changed: result.changed, Commands: result.commands, Guest: guestInfo(result.guest) };
      },
    }),
    DescribeGuest: operation<DescribeGuestInput, object>({
      async handle(input, caller) {
        const given = (["ImageId", "SnapshotId", "VolumeId", "InstanceId"] as const).filter((name) => input[name] !== undefined);
        if (given.length !== 1) {
          throw Errors.invalidParameterCombination(
            `Pass exactly one of ImageId, SnapshotId, VolumeId and InstanceId${given.length ? `, not ${given.join(" and ")}` : ""}.`,
          );
        }
        if (input.VolumeId !== undefined || input.InstanceId !== undefined) {
          // The disk as it is now: a conversion's steps and RepairGuest change it. An instance's is its root volume.
          const volumeId = input.VolumeId ?? (await repairs.rootVolumeOf(caller, input.InstanceId!, { stopped: false }));
          const volume = await volumes.get(caller, volumeId);
          return {
            ResourceId: volumeId,
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
    ...bootFacts(guest),
  };
}

/** The facts beyond the record's own fields that decide a boot, read as the boot reads them (src/domain/guest.ts). */
function bootFacts(guest: GuestModel) {
  const windows = guest.os.family === "windows";
  const kind = guest.bootloader.kind;
  const config = windows ? undefined : bootConfiguration(guest, kind === "pv-grub" ? "paravirtual" : "hvm");
  const naming = networkNamingOf(guest);
  const pv = windowsPvDriversOf(guest);
  return {
    KernelArchitecture: kernelArchitecture(guest),
    // The initramfs holds the block driver the root disk needs before / is mounted: xen-blkfront wherever the
    // kernel has it (the distributions' builders add it), nvme only when it was put there.
    InitramfsModules: windows
      ? []
      : [...(guest.kernel.drivers.xenBlkfront ? ["xen-blkfront"] : []), ...(guest.kernel.drivers.nvme && guest.kernel.nvmeInInitramfs ? ["nvme"] : [])],
    BootModes: bootModesOf(guest),
    ...(windows || kind === "pv-grub"
      ? {}
      : { GrubVersion: kind === "grub-efi" ? "grub2" : (guest.bootloader.grub ?? (guest.bootloader.menuLst ? "legacy" : "grub2")) }),
    ...(guest.bootloader.grubCfg !== undefined ? { GrubCfg: guest.bootloader.grubCfg } : {}),
    ...(config ? { BootConfigPath: config.path, KernelRoot: config.root } : {}),
    FstabEntries: windows ? [] : [{ Device: guest.fstabRoot, MountPoint: "/", Filesystem: guest.disk.filesystem }],
    ...(windows
      ? { WindowsPvDrivers: pv.vendor === "none" ? "none" : `${pv.vendor}-pv ${pv.version}` }
      : { InterfaceNames: naming.interfaceNames, PersistentNetRules: naming.persistentNetRules }),
  };
}
