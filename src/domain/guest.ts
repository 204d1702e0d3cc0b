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
    /** The instruction set the kernel is built for; absent on older records: read from the version (…i686, …aarch64). */
    architecture?: "i386" | "x86_64" | "arm64";
    /** Which block and network drivers the kernel has (built in or as modules). */
    drivers: { xenBlkfront: boolean; xenNetfront: boolean; ixgbevf: boolean; ena: boolean; nvme: boolean; nvidia: boolean };
    /** Whether the nvme module is in the initramfs, so the root disk is found on Nitro before / is mounted. */
    nvmeInInitramfs: boolean;
    /** PV-on-HVM drivers: the kernel can boot as an HVM guest (needed to convert a PV image). */
    canBootHvm: boolean;
    /**
     * Windows: the Xen paravirtual drivers installed (AWS PV, Citrix PV or Red Hat PV, each with its version), or
     * none. Absent on older records: AWS PV when the xen drivers are set (`windowsPvDriversOf`).
     */
    windowsPvDrivers?: { vendor: "aws" | "citrix" | "redhat"; version: string } | { vendor: "none" };
  };
  bootloader: {
    kind: Bootloader;
    /**
     * The firmware modes the disk boots under, where not the kind's one: GRUB 2 installed both in the BIOS boot
     * partition and on the EFI system partition (a uefi-preferred image such as Amazon Linux 2023) boots both.
     */
    bootModes?: Array<"legacy-bios" | "uefi">;
    /** Which GRUB a grub-mbr disk has: GRUB legacy reads menu.lst, GRUB 2 grub.cfg. Absent: legacy when menuLst is set. */
    grub?: "legacy" | "grub2";
    /** /boot/grub/menu.lst: what PV-GRUB and GRUB legacy read. */
    menuLst?: string;
    /** GRUB 2's grub.cfg (/boot/grub2/grub.cfg, /boot/grub/grub.cfg on Debian and Ubuntu). */
    grubCfg?: string;
    console: "hvc0" | "ttyS0" | "none";
  };
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
  /**
   * Linux network interface naming: predictable names (ens5, eth0 only with net.ifnames=0 on the kernel command
   * line) and whether /etc/udev/rules.d/70-persistent-net.rules pins eth0 to an earlier instance's MAC address.
   * Absent on older records: classic names, no rules file.
   */
  network?: { interfaceNames: "predictable" | "classic"; persistentNetRules: boolean };
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

/** A Windows guest's Xen PV drivers; older records without the field have AWS PV when the xen drivers are set. */
export function windowsPvDriversOf(guest: GuestModel): NonNullable<GuestModel["kernel"]["windowsPvDrivers"]> {
  if (guest.kernel.windowsPvDrivers) return guest.kernel.windowsPvDrivers;
  return guest.kernel.drivers.xenBlkfront && guest.kernel.drivers.xenNetfront ? { vendor: "aws", version: "unknown" } : { vendor: "none" };
}

/** The guest's interface naming, with the defaults older records mean. */
export function networkNamingOf(guest: GuestModel): NonNullable<GuestModel["network"]> {
  return guest.network ?? { interfaceNames: "classic", persistentNetRules: false };
}

/** The architecture the guest's kernel is built for. */
export function kernelArchitecture(guest: GuestModel): "i386" | "x86_64" | "arm64" {
  if (guest.kernel.architecture) return guest.kernel.architecture;
  return /\.(i[3-6]86|i386)$/.test(guest.kernel.version) ? "i386" : /aarch64$/.test(guest.kernel.version) ? "arm64" : "x86_64";
}

/** The firmware modes the guest's bootloader answers: GRUB in the MBR for BIOS, an EFI application for UEFI. */
export function bootModesOf(guest: GuestModel): Array<"legacy-bios" | "uefi"> {
  if (guest.bootloader.bootModes) return guest.bootloader.bootModes;
  switch (guest.bootloader.kind) {
    case "grub-mbr":
      return ["legacy-bios"];
    case "grub-efi":
      return ["uefi"];
    case "windows-boot-manager":
    case "grub-hybrid":
      return ["legacy-bios", "uefi"];
    case "pv-grub":
      return [];
  }
}

const debianFamily = (guest: GuestModel) => /debian|ubuntu/i.test(guest.os.distribution);

/**
 * The bootloader configuration the boot reads, and the kernel's root= in it: PV-GRUB and GRUB legacy read
 * menu.lst, GRUB 2 (in the MBR or as an EFI application) reads grub.cfg. A record without the file falls back on
 * fstab's root, as older guests were recorded.
 */
export function bootConfiguration(guest: GuestModel, virtualizationType: "paravirtual" | "hvm"): { path: string; root: string } {
  const grub2 =
    virtualizationType === "hvm" &&
    (guest.bootloader.kind === "grub-efi" || (guest.bootloader.grub ?? (guest.bootloader.menuLst ? "legacy" : "grub2")) === "grub2");
  const path = grub2 ? (debianFamily(guest) ? "/boot/grub/grub.cfg" : "/boot/grub2/grub.cfg") : "/boot/grub/menu.lst";
  const text = grub2 ? guest.bootloader.grubCfg : guest.bootloader.menuLst;
  const root = /^\s*(?:kernel|linux|linuxefi|linux16)\s+\S+.*?\broot=(\S+)/m.exec(text ?? "")?.[1];
  return { path, root: root ?? guest.fstabRoot };
}

/** The tool that built the guest's initramfs, whose messages a failed early boot prints. */
export function initramfsTool(guest: GuestModel): "initramfs-tools" | "dracut" {
  return debianFamily(guest) ? "initramfs-tools" : "dracut";
}

/** Whether a root= (UUID=, LABEL=, a device path) names the root filesystem on the devices this host presents. */
export function rootSpecResolves(spec: string, guest: GuestModel, rootDevices: readonly string[]): boolean {
  if (spec.startsWith("UUID=")) return spec.slice(5) === guest.disk.uuid;
  if (spec.startsWith("LABEL=")) return guest.disk.label !== "" && spec.slice(6) === guest.disk.label;
  // The model keeps one id for the root partition and its filesystem (GPT images name the partition: PARTUUID=).
  if (spec.startsWith("PARTUUID=")) return spec.slice(9) === guest.disk.uuid;
  if (spec.startsWith("/dev/mapper/")) return guest.disk.lvm;
  return rootDevices.includes(spec);
}

/** Where the early boot looks for a root=: the udev path of a UUID or label, or the device itself. */
export function rootDevicePath(spec: string): string {
  if (spec.startsWith("UUID=")) return `/dev/disk/by-uuid/${spec.slice(5)}`;
  if (spec.startsWith("LABEL=")) return `/dev/disk/by-label/${spec.slice(6)}`;
  if (spec.startsWith("PARTUUID=")) return `/dev/disk/by-partuuid/${spec.slice(9)}`;
  return spec;
}
