// How a guest boots on a host: the console log it would print, and whether it comes up. The log is made of the
// messages the real firmware, bootloader and kernel print at each stage, so that a failed boot reads as it would
// on EC2 (GetConsoleOutput), and the instance's reachability check fails with it.
import { type EnaSupport, usesEna } from "./catalog/type-facts.js";
import {
  bootConfiguration,
  bootModesOf,
  fstabNamesXenDevice,
  type GuestModel,
  initramfsTool,
  kernelArchitecture,
  nvmeRootProblem,
  rootDevicePath,
  rootSpecResolves,
} from "./guest.js";
import { simulateWindowsBoot } from "./windows-boot.js";

export interface BootInput {
  instanceId: string;
  instanceType: string;
  hypervisor: "xen" | "nitro" | "none";
  virtualizationType: "paravirtual" | "hvm";
  bootMode: "legacy-bios" | "uefi";
  kernelName?: string;
  guest: GuestModel;
  /** The ENA flag the instance runs with, and whether the type has ENA at all. */
  enaSupport: boolean;
  typeEna: EnaSupport;
  sriovNetSupport: boolean;
  typeSriov: boolean;
  /** The instance's interfaces in device order: each driver line binds one (eth0 is the primary). */
  interfaces?: ReadonlyArray<{ macAddress: string; privateIp: string }>;
}

/** One line per interface, eth0 first: the driver that binds it. */
function bindings(interfaces: BootInput["interfaces"], line: (index: number, mac: string) => string): string[] {
  return (interfaces ?? []).map((eni, index) => line(index, eni.macAddress));
}

export interface BootResult {
  lines: string[];
  /** The indexes of the lines that decided the boot: a failure's own messages, or the lines that bound the root disk and the network. */
  deciding: number[];
  booted: boolean;
  /** Why the guest is unreachable, when it is. */
  failure?: string;
}

export function simulateBoot(input: BootInput): BootResult {
  const { guest } = input;
  const lines: string[] = [];
  const deciding: number[] = [];
  /** Adds lines that decide the boot: the drivers that found the root disk and the network. */
  const decide = (...decisive: string[]) => {
    for (const line of decisive) deciding.push(lines.push(line) - 1);
  };
  const fail = (failure: string, ...last: string[]): BootResult => failedBoot(lines, failure, last);
  const nitro = input.hypervisor !== "xen";
  const diskDevice = nitro ? "nvme0n1" : "xvda";
  const rootPartition = guest.disk.partitionTable === "none" ? diskDevice : nitro ? `${diskDevice}p1` : `${diskDevice}1`;

  if (guest.os.family === "windows") return simulateWindowsBoot(input);

  // Firmware and bootloader.
  if (input.virtualizationType === "paravirtual") {
    lines.push(`Xen Minimal OS (PV-GRUB) ${input.kernelName ?? "pv-grub"}`, "  Booting 'from /boot/grub/menu.lst'");
    const rootLine = /^root\s+(\S+)/m.exec(guest.bootloader.menuLst ?? "")?.[1] ?? "(hd0)";
    const wantsPartition = rootLine.includes(",") || rootLine === "(hd00)";
    const kernelPartitioned = input.kernelName?.includes("hd00") ?? wantsPartition;
    if (guest.bootloader.kind !== "pv-grub" && !guest.bootloader.menuLst) {
      return fail("PV-GRUB found no /boot/grub/menu.lst", "Error 15: File not found", "PV-GRUB cannot find /boot/grub/menu.lst on the root device.");
    }
    if ((guest.disk.partitionTable !== "none") !== kernelPartitioned) {
      return fail(
        "PV-GRUB cannot mount the root filesystem",
        `root ${rootLine}`,
        "Error 17: Cannot mount selected partition",
        kernelPartitioned
          ? "(the hd00 AKI expects a partitioned disk; this disk has none: use the hd0 AKI)"
          : "(the hd0 AKI expects a filesystem at sector 0; this disk is partitioned: use the hd00 AKI)",
      );
    }
    lines.push(`root ${rootLine}`, " Filesystem type is ext2fs, using whole disk", `kernel /boot/vmlinuz-${guest.kernel.version}`);
    // The AKI's name says its build (pv-grub-hd0_1.05-i386.gz): a 64-bit PV-GRUB cannot start a 32-bit kernel, nor the reverse.
    const grubArchitecture = /(i386|x86_64)/.exec(input.kernelName ?? "")?.[1];
    if (grubArchitecture && grubArchitecture !== kernelArchitecture(guest)) {
      return fail(
        `the ${grubArchitecture} PV-GRUB cannot start the guest's ${kernelArchitecture(guest)} kernel`,
        "Error 13: Invalid or unsupported executable format",
        `(PV-GRUB ${grubArchitecture} loads ${grubArchitecture} kernels only: register the image with --architecture ${kernelArchitecture(guest)}, or pass the ${kernelArchitecture(guest)} PV-GRUB AKI)`,
      );
    }
  } else {
    lines.push(
      input.hypervisor === "none"
        ? "Bare-metal server firmware (Nitro card, no hypervisor): legacy BIOS, booting from NVMe"
        : input.bootMode === "uefi"
          ? "UEFI firmware (Nitro): booting from NVMe"
          : nitro
            ? "SeaBIOS (Nitro)"
            : "SeaBIOS (version 1.10.2-xen)",
      "Booting from Hard Disk...",
    );
    const bootable = bootModesOf(guest).includes(input.bootMode);
    if (!bootable) {
      if (input.bootMode === "uefi")
        return fail(
          "no EFI bootloader on the disk",
          'BdsDxe: failed to load Boot0001 "UEFI Amazon Elastic Block Store": Not Found',
          "No bootable option or device was found.",
        );
      return fail(
        "no bootloader in the MBR",
        "Boot failed: not a bootable disk",
        "No bootable device.",
        guest.bootloader.kind === "pv-grub" ? "(the disk still boots through PV-GRUB: install GRUB in the MBR before running it as HVM)" : "",
      );
    }
    lines.push(input.bootMode === "uefi" ? "GRUB 2 (EFI)" : "GRUB loading.", `Booting \`${guest.os.distribution} (${guest.kernel.version})'`);
  }

  // Kernel and devices.
  const consoleName = input.virtualizationType === "paravirtual" ? "hvc0" : "ttyS0";
  if (guest.bootloader.console !== "none" && guest.bootloader.console !== consoleName) {
    // The kernel writes its messages where the command line says; the console here shows nothing more.
    return {
      lines: [...lines, `(the kernel logs to ${guest.bootloader.console}; this console is ${consoleName}, so nothing more appears here)`],
      deciding: [lines.length],
      booted: true,
    };
  }
  // root= comes from the bootloader configuration the boot read, not from fstab: each can be wrong on its own.
  const config = bootConfiguration(guest, input.virtualizationType);
  const bootImage = input.virtualizationType === "hvm" ? `BOOT_IMAGE=/boot/vmlinuz-${guest.kernel.version} ` : "";
  lines.push(`[    0.000000] Linux version ${guest.kernel.version}`, `[    0.000000] Command line: ${bootImage}root=${config.root} console=${consoleName}`);
  lines.push(
    input.hypervisor === "none"
      ? "[    0.000000] DMI: Amazon EC2 bare metal (no hypervisor)"
      : nitro
        ? `[    0.000000] Hypervisor detected: KVM`
        : `[    0.000000] Hypervisor detected: Xen ${input.virtualizationType === "paravirtual" ? "PV" : "HVM"}`,
  );
  if (nitro) {
    const nvmeProblem = nvmeRootProblem(guest);
    if (nvmeProblem === "no-nvme-driver") {
      return fail(
        "the kernel has no NVMe driver for the Nitro root disk",
        '[    2.104310] VFS: Cannot open root device "LABEL=/" or unknown-block(0,0): error -6',
        '[    2.104352] Please append a correct "root=" boot option; here are the available partitions:',
        "[    2.104401] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)",
      );
    }
    if (nvmeProblem === "nvme-not-in-initramfs") return fail("the initramfs lacks the nvme driver", ...rootNotFound(guest, config.root));
    decide(`[    1.012345] nvme nvme0: pci function 0000:00:04.0`);
    lines.push(`[    1.034567]  ${diskDevice}: p1`);
  } else {
    decide(`[    0.912345] blkfront: ${diskDevice}: flush diskcache: enabled; persistent grants: disabled; indirect descriptors: enabled;`);
  }
  // A PV disk is named by its block device mapping (/dev/sda1, seen as /dev/xvda1); HVM and Nitro name it themselves.
  const rootDevices = input.virtualizationType === "paravirtual" ? ["/dev/xvda1", "/dev/sda1", "/dev/xvda", "/dev/sda"] : [`/dev/${rootPartition}`];
  if (!rootSpecResolves(config.root, guest, rootDevices)) {
    return fail(`the kernel's root=${config.root}, from ${config.path}, names no device on this instance`, ...rootNotFound(guest, config.root));
  }
  lines.push(`[    2.345678] EXT4-fs (${rootPartition}): mounted filesystem with ordered data mode. Opts: (null)`);
  if (nitro && fstabNamesXenDevice(guest)) {
    return fail(
      `/etc/fstab names the root ${guest.fstabRoot}, which does not exist on Nitro`,
      `[ TIME ] Timed out waiting for device ${guest.fstabRoot.slice(1).replace(/\//g, "-")}.device.`,
      `[DEPEND] Dependency failed for /.`,
      'You are in emergency mode. After logging in, type "journalctl -xb" to view system logs.',
    );
  }

  // Network.
  if (usesEna(input.enaSupport, input.typeEna)) {
    if (!guest.kernel.drivers.ena)
      return fail(
        "the image claims ENA, but the guest has no ena driver: no network",
        "[    3.100000] cloud-init: no network interfaces found; ena module not found",
        "Cloud-init v. 0.7 finished: datasource unreachable",
      );
    decide("[    3.100000] ena 0000:00:05.0: Elastic Network Adapter (ENA) v2.x");
    lines.push("[    3.100100] ena 0000:00:05.0 eth0: renamed from ens5");
    lines.push(
      ...bindings(input.interfaces, (n, mac) => `[    3.1${n}0200] ena 0000:00:0${5 + n}.0 eth${n}: Elastic Network Adapter (ENA) found, mac addr ${mac}`),
    );
  } else if (input.sriovNetSupport && input.typeSriov) {
    // The instance's interface is an 82599 virtual function: without ixgbevf the guest has no network at all.
    if (!guest.kernel.drivers.ixgbevf)
      return fail(
        "SriovNetSupport is simple, but the guest has no ixgbevf driver for the 82599 virtual function: no network",
        "[    3.100000] cloud-init: no network interfaces found; ixgbevf module not found",
        "Cloud-init v. 0.7 finished: datasource unreachable",
      );
    decide("[    3.100000] ixgbevf: Intel(R) 10 Gigabit PCI Express Virtual Function Network Driver");
    lines.push(...bindings(input.interfaces, (n, mac) => `[    3.1${n}0200] ixgbevf 0000:00:0${3 + n}.0 eth${n}: Intel(R) 82599 Virtual Function, mac ${mac}`));
  } else if (nitro) {
    return fail("a Nitro instance has only an ENA network interface, and ENA is not enabled", "cloud-init: no network interfaces found");
  } else {
    decide("[    3.100000] xen_netfront: Initialising Xen virtual ethernet driver");
    lines.push(...bindings(input.interfaces, (n, mac) => `[    3.1${n}0200] vif vif-${n} eth${n}: netfront (no enhanced networking), mac ${mac}`));
  }
  const primary = input.interfaces?.[0];
  if (primary) lines.push(`[    4.000000] cloud-init: eth0: ${primary.privateIp} (${primary.macAddress})`);
  lines.push(`${guest.os.distribution} ${guest.os.version}`, `Kernel ${guest.kernel.version} on an ${input.instanceType}`, "", `${input.instanceId} login:`);
  return { lines, deciding, booted: true };
}

/** A boot that stopped: the lines so far, then the failure's own messages, which are what decided it. */
export function failedBoot(lines: readonly string[], failure: string, last: readonly string[]): BootResult {
  const deciding = last.flatMap((line, index) => (line ? [lines.length + index] : []));
  return { lines: [...lines, ...last], deciding, booted: false, failure };
}

/** What the initramfs prints when the root device never appears: dracut's timeout, or initramfs-tools' shell. */
function rootNotFound(guest: GuestModel, rootSpec: string): string[] {
  if (initramfsTool(guest) === "initramfs-tools") {
    return [
      "Begin: Running /scripts/local-premount ... done.",
      "Gave up waiting for root device.  Common problems:",
      " - Boot args (cat /proc/cmdline)",
      " - Missing modules (cat /proc/modules; ls /dev)",
      `ALERT!  ${rootSpec} does not exist.  Dropping to a shell!`,
      "(initramfs)",
    ];
  }
  return [
    "[  OK  ] Reached target Basic System.",
    "[  132.486920] dracut-initqueue[281]: Warning: dracut-initqueue timeout - starting timeout scripts",
    "[  132.998811] dracut-initqueue[281]: Warning: Could not boot.",
    `[  133.002131] dracut-initqueue[281]: Warning: ${rootDevicePath(rootSpec)} does not exist`,
    "Entering emergency mode. Exit the shell to continue.",
  ];
}
