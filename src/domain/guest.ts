// The guest a disk boots: what AWS does not show, but what decides whether an instance really boots on a host.
// It lives on the root snapshot, so every copy of the disk (volume, snapshot, image) carries it. A blank disk (a
// volume created with only a size, and its snapshots) has no guest model at all: `guest` is absent, not a stub.

export type Bootloader =
  /** PV-GRUB (an AKI) reads /boot/grub/menu.lst and chain-loads the kernel: paravirtual only. */
  | "pv-grub"
  /** GRUB legacy or GRUB 2 in the disk's MBR, started by the BIOS: HVM. */
  | "grub-mbr"
  /** GRUB 2 as an EFI application on an EFI system partition: HVM with UEFI. */
  | "grub-efi"
  /** GRUB 2 both in a BIOS boot partition and on an EFI system partition (Ubuntu's and Debian's amd64 cloud images): either firmware. */
  | "grub-hybrid"
  | "windows-boot-manager";

export interface GuestModel {
  os: { family: "linux" | "windows"; distribution: string; version: string };
  kernel: {
    version: string;
    /** Which block and network drivers the kernel has (built in or as modules). */
    drivers: { xenBlkfront: boolean; xenNetfront: boolean; ixgbevf: boolean; ena: boolean; nvme: boolean; nvidia: boolean };
    /** Whether the nvme module is in the initramfs, so the root disk is found on Nitro before / is mounted. */
    nvmeInInitramfs: boolean;
    /** PV-on-HVM drivers: the kernel can boot as an HVM guest (needed to convert a PV image). */
    canBootHvm: boolean;
  };
  bootloader: { kind: Bootloader; menuLst?: string; console: "hvc0" | "ttyS0" | "none" };
  disk: {
    /** none: the filesystem starts at sector 0 (PV-GRUB's (hd0)); msdos or gpt: a partition table. */
    partitionTable: "none" | "msdos" | "gpt";
    filesystem: "ext3" | "ext4" | "xfs" | "ntfs";
    uuid: string;
    label: string;
    lvm: boolean;
  };
  /** How /etc/fstab names the root filesystem: a device name breaks when the device is renamed (NVMe). */
  fstabRoot: string;
}

// What the launch rules warn of and the boot fails on, read from the guest in one place.

/** Why the guest cannot mount a Nitro (NVMe) root disk: no nvme driver, or none in the initramfs, read before /. */
export function nvmeRootProblem(guest: GuestModel): "no-nvme-driver" | "nvme-not-in-initramfs" | undefined {
  if (!guest.kernel.drivers.nvme) return "no-nvme-driver";
  return guest.kernel.nvmeInInitramfs ? undefined : "nvme-not-in-initramfs";
}

/** /etc/fstab names the root by a Xen device name (/dev/xvda1, /dev/sda1), which a Nitro instance does not have. */
export function fstabNamesXenDevice(guest: GuestModel): boolean {
  return /^\/dev\/(xvd|sd)/.test(guest.fstabRoot);
}
