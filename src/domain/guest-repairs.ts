// The repairs an operator makes to a guest's disk, each as the commands they would run on it, without I/O: what
// each one changes in the guest model and where it cannot apply (a kernel too old for the driver, the other OS).
// RepairGuest (src/services/guest-repairs.ts) applies one to a volume; the explanations' fixes name them, and a
// Xen-to-Nitro workflow can chain them as the AWS runbook does (shared/reference/ec2-facts.md §3). The minimum
// versions are the drivers' own (docs/decisions.md "Repairing a guest").
import { bootConfiguration, type GuestModel, initramfsTool, kernelArchitecture, networkNamingOf, windowsPvDriversOf } from "./guest.js";

export const guestRepairNames = [
  "install-ena-driver",
  "add-nvme-to-initramfs",
  "fstab-by-uuid",
  "install-grub2",
  "fix-grub-root",
  "disable-predictable-interface-names",
  "install-xen-pv-drivers",
  "install-ixgbevf-driver",
  "install-aws-pv-drivers",
  "install-nvme-driver",
] as const;
export type GuestRepairName = (typeof guestRepairNames)[number];

export function isGuestRepairName(name: string): name is GuestRepairName {
  return (guestRepairNames as readonly string[]).includes(name);
}

export interface RepairOutcome {
  guest: GuestModel;
  /** False when the guest already had what the repair makes: applying it again changes nothing. */
  changed: boolean;
  /** What an operator would run on the disk (chrooted into it from a helper instance). */
  commands: string[];
}

/** Why a repair cannot apply to this guest, said so a learner knows what to do instead. */
export class RepairRefused extends Error {}

/** Linux: the ENA driver (amzn-drivers) builds on kernels 3.10 and later; it is in mainline since 4.9. */
export const enaMinimumLinuxKernel = "3.10";
/** Linux: the nvme driver is in mainline since 3.3. */
export const nvmeMinimumLinuxKernel = "3.3";
/** Linux: ixgbevf is in mainline since 2.6.34; Intel's out-of-tree build reaches back to 2.6.18 (the minimum here). */
export const ixgbevfMinimumLinuxKernel = "2.6.18";
/** Linux: PV-on-HVM drivers (xen-blkfront, xen-netfront for an HVM guest) came with the distributions' 2.6.32 kernels. */
export const pvOnHvmMinimumLinuxKernel = "2.6.32";
/** Windows: the ENA, AWS NVMe and AWS PV 8.x drivers install on Windows Server 2008 R2 (NT 6.1) and later. */
export const windowsMinimumForAwsDrivers = "6.1";

/** Compares dotted versions numerically, reading only the leading numbers (3.10.0-1160.el7 → 3, 10, 0). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const numbers = (text: string) => (/^[\d.]+/.exec(text)?.[0] ?? "0").split(".").filter(Boolean).map(Number);
  const have = numbers(version);
  const want = numbers(minimum);
  for (let i = 0; i < Math.max(have.length, want.length); i++) {
    const difference = (have[i] ?? 0) - (want[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

const windowsNames: Array<[string, string]> = [
  ["10.0", "Windows Server 2016 or later"],
  ["6.3", "Windows Server 2012 R2"],
  ["6.2", "Windows Server 2012"],
  ["6.1", "Windows Server 2008 R2"],
  ["6.0", "Windows Server 2008"],
  ["5.2", "Windows Server 2003"],
];
const windowsName = (guest: GuestModel) =>
  `${guest.os.distribution} ${guest.os.version} (NT ${guest.kernel.version}, ${windowsNames.find(([nt]) => versionAtLeast(guest.kernel.version, nt))?.[1] ?? "older than Windows Server 2003"})`;

/** The AWS PV version AWS's table gives each Windows Server version (xen-drivers-overview). */
function awsPvVersionFor(guest: GuestModel): string {
  if (versionAtLeast(guest.kernel.version, "10.0")) return "8.4.3 or later (latest)";
  if (versionAtLeast(guest.kernel.version, "6.2")) return "8.4.3";
  return "8.3.5";
}

const linuxOnly = (guest: GuestModel, instead: string) => {
  if (guest.os.family !== "linux") throw new RepairRefused(`${windowsName(guest)} is not Linux. ${instead}`);
};
const windowsOnly = (guest: GuestModel, instead: string) => {
  if (guest.os.family !== "windows") throw new RepairRefused(`The guest runs ${guest.os.distribution} ${guest.os.version}, not Windows. ${instead}`);
};
const kernelAtLeast = (guest: GuestModel, minimum: string, what: string) => {
  if (!versionAtLeast(guest.kernel.version, minimum)) {
    throw new RepairRefused(
      `The guest's kernel ${guest.kernel.version} is older than ${minimum}, the oldest ${what} supports. Install a newer kernel from the distribution first (or rebuild the image on a newer release).`,
    );
  }
};
const windowsAtLeastR2 = (guest: GuestModel, driver: string) => {
  if (!versionAtLeast(guest.kernel.version, windowsMinimumForAwsDrivers)) {
    throw new RepairRefused(
      `${driver} installs on Windows Server 2008 R2 and later; this guest is ${windowsName(guest)}, which runs on Xen types only, with Citrix PV 5.9. Upgrade Windows (or move the workload to a newer Windows AMI) to go to Nitro.`,
    );
  }
};

const unchanged = (guest: GuestModel, commands: string[]): RepairOutcome => ({ guest, changed: false, commands });
const changedTo = (guest: GuestModel, commands: string[]): RepairOutcome => ({ guest, changed: true, commands });
const withDrivers = (guest: GuestModel, drivers: Partial<GuestModel["kernel"]["drivers"]>, more: Partial<GuestModel["kernel"]> = {}): GuestModel => ({
  ...guest,
  kernel: { ...guest.kernel, ...more, drivers: { ...guest.kernel.drivers, ...drivers } },
});

/** The root= the kernel line names, rewritten in a bootloader configuration text. */
const rewriteRoot = (text: string, root: string) => text.replace(/^(\s*(?:kernel|linux|linuxefi|linux16)\s+\S+.*?\broot=)\S+/gm, `$1${root}`);
/** A kernel command-line argument appended to each kernel line that lacks it. */
const appendArgument = (text: string, argument: string) =>
  text.replace(/^(\s*(?:kernel|linux|linuxefi|linux16)\s+\S+.*)$/gm, (line) => (line.includes(argument) ? line : `${line} ${argument}`));

/** grub2-mkconfig's grub.cfg for the guest: one entry, root by UUID, the serial console. */
function generatedGrubCfg(guest: GuestModel, extraArguments = ""): string {
  const kernel = guest.kernel.version;
  return `set default=0\nset timeout=1\nmenuentry '${guest.os.distribution} (${kernel})' {\n  linux /boot/vmlinuz-${kernel} root=UUID=${guest.disk.uuid} ro console=tty0 console=ttyS0,115200n8${extraArguments}\n  initrd /boot/initramfs-${kernel}.img\n}\n`;
}

const repairs: Record<GuestRepairName, (guest: GuestModel) => RepairOutcome> = {
  "install-ena-driver"(guest) {
    if (guest.os.family === "windows") {
      windowsAtLeastR2(guest, "The ENA driver for Windows");
      const commands = ["Install-EnaDriver (AWS ENA driver package: install.ps1)"];
      return guest.kernel.drivers.ena ? unchanged(guest, commands) : changedTo(withDrivers(guest, { ena: true }), commands);
    }
    kernelAtLeast(guest, enaMinimumLinuxKernel, "the ENA driver (amzn-drivers)");
    const commands = ["dkms install ena (amzn-drivers, kernel/linux/ena)", "echo ena >> /etc/modules-load.d/ena.conf"];
    return guest.kernel.drivers.ena ? unchanged(guest, commands) : changedTo(withDrivers(guest, { ena: true }), commands);
  },

  "add-nvme-to-initramfs"(guest) {
    linuxOnly(guest, "Windows has no initramfs: use install-nvme-driver.");
    kernelAtLeast(guest, nvmeMinimumLinuxKernel, "the nvme driver (mainline since 3.3)");
    const commands =
      initramfsTool(guest) === "initramfs-tools"
        ? ["echo nvme >> /etc/initramfs-tools/modules", `update-initramfs -u -k ${guest.kernel.version}`]
        : [`dracut -f --add-drivers "nvme" /boot/initramfs-${guest.kernel.version}.img ${guest.kernel.version}`];
    if (guest.kernel.drivers.nvme && guest.kernel.nvmeInInitramfs) return unchanged(guest, commands);
    return changedTo(withDrivers(guest, { nvme: true }, { nvmeInInitramfs: true }), commands);
  },

  "fstab-by-uuid"(guest) {
    linuxOnly(guest, "Windows names its volumes by drive letter, not in /etc/fstab.");
    const commands = ["cp -a /etc/fstab /etc/fstab.bak", `sed -i 's|^${guest.fstabRoot}\\s|UUID=${guest.disk.uuid} |' /etc/fstab`];
    if (guest.disk.lvm && guest.fstabRoot.startsWith("/dev/mapper/"))
      return unchanged(guest, ["(the root is an LVM logical volume: its /dev/mapper name survives the move)"]);
    if (!/^\/dev\//.test(guest.fstabRoot)) return unchanged(guest, commands);
    return changedTo({ ...guest, fstabRoot: `UUID=${guest.disk.uuid}` }, commands);
  },

  "install-grub2"(guest) {
    linuxOnly(guest, "Windows boots with the Windows Boot Manager.");
    if (guest.disk.partitionTable === "none") {
      throw new RepairRefused(
        "The filesystem starts at sector 0 (PV-GRUB's hd0 layout): there is no MBR nor partition to put GRUB in. Convert the image to HVM (StartImageConversion, mini-ec2 convert-image), which adds the partition table and GRUB.",
      );
    }
    if (!guest.kernel.canBootHvm) {
      throw new RepairRefused(
        `The kernel ${guest.kernel.version} is a Xen PV-only kernel: GRUB could load it, but as an HVM guest it would find no disk. Apply install-xen-pv-drivers first.`,
      );
    }
    const device = "/dev/xvda";
    const commands = [
      `grub2-install --target=i386-pc ${device}`,
      `grub2-mkconfig -o ${/debian|ubuntu/i.test(guest.os.distribution) ? "/boot/grub/grub.cfg" : "/boot/grub2/grub.cfg"}`,
    ];
    if (guest.bootloader.kind !== "pv-grub" && guest.bootloader.grub === "grub2" && guest.bootloader.grubCfg && guest.bootloader.kind !== "grub-efi")
      return unchanged(guest, commands);
    const kind = guest.bootloader.kind === "grub-efi" || guest.bootloader.kind === "grub-hybrid" ? "grub-hybrid" : "grub-mbr";
    // grub2-mkconfig keeps GRUB_CMDLINE_LINUX: a net.ifnames=0 set there before stays on the kernel line.
    const naming = /net\.ifnames=0/.test(`${guest.bootloader.grubCfg ?? ""}${guest.bootloader.menuLst ?? ""}`) ? " net.ifnames=0" : "";
    const { bootModes: _modes, ...bootloader } = guest.bootloader;
    return changedTo(
      {
        ...guest,
        bootloader: { ...bootloader, kind, grub: "grub2", grubCfg: generatedGrubCfg(guest, naming), console: "ttyS0" },
      },
      commands,
    );
  },

  "fix-grub-root"(guest) {
    linuxOnly(guest, "Windows boots with the Windows Boot Manager.");
    const config = bootConfiguration(guest, "hvm");
    const grub2 = config.path.endsWith("grub.cfg");
    const text = grub2 ? guest.bootloader.grubCfg : guest.bootloader.menuLst;
    if (!text) throw new RepairRefused(`The guest has no ${config.path} to fix: apply install-grub2, which writes one.`);
    const root = `UUID=${guest.disk.uuid}`;
    const commands = grub2 ? [`sed -i 's|root=[^ ]*|root=${root}|' ${config.path}`] : [`sed -i 's|root=[^ ]*|root=${root}|' /boot/grub/menu.lst`];
    if (config.root === root || config.root === `LABEL=${guest.disk.label}`) return unchanged(guest, commands);
    const fixed = rewriteRoot(text, root);
    return changedTo({ ...guest, bootloader: { ...guest.bootloader, ...(grub2 ? { grubCfg: fixed } : { menuLst: fixed }) } }, commands);
  },

  "disable-predictable-interface-names"(guest) {
    linuxOnly(guest, "Windows names its adapters itself.");
    const commands = [
      "sed -i 's/^GRUB_CMDLINE_LINUX=\"/&net.ifnames=0 /' /etc/default/grub (or add net.ifnames=0 to the kernel line of /boot/grub/menu.lst)",
      "mv /etc/udev/rules.d/70-persistent-net.rules /etc/udev/rules.d/70-persistent-net.rules.bak",
    ];
    const naming = networkNamingOf(guest);
    if (naming.interfaceNames === "classic" && !naming.persistentNetRules && guest.network) return unchanged(guest, commands);
    const bootloader = { ...guest.bootloader };
    if (bootloader.grubCfg) bootloader.grubCfg = appendArgument(bootloader.grubCfg, "net.ifnames=0");
    if (bootloader.menuLst) bootloader.menuLst = appendArgument(bootloader.menuLst, "net.ifnames=0");
    return changedTo({ ...guest, bootloader, network: { interfaceNames: "classic", persistentNetRules: false } }, commands);
  },

  "install-xen-pv-drivers"(guest) {
    if (guest.os.family === "windows") return repairs["install-aws-pv-drivers"](guest);
    if (kernelArchitecture(guest) === "arm64") throw new RepairRefused("An arm64 guest runs on Graviton, which is Nitro only: there is no Xen to drive.");
    kernelAtLeast(guest, pvOnHvmMinimumLinuxKernel, "PV-on-HVM (xen-blkfront and xen-netfront for an HVM guest)");
    const commands = ["modprobe xen-blkfront xen-netfront", `dracut -f --add-drivers "xen-blkfront xen-netfront" (or update-initramfs -u)`];
    const { xenBlkfront, xenNetfront } = guest.kernel.drivers;
    if (xenBlkfront && xenNetfront && guest.kernel.canBootHvm) return unchanged(guest, commands);
    return changedTo(withDrivers(guest, { xenBlkfront: true, xenNetfront: true }, { canBootHvm: true }), commands);
  },

  "install-ixgbevf-driver"(guest) {
    if (guest.os.family === "windows") {
      windowsAtLeastR2(guest, "The Intel 82599 Virtual Function driver for Windows");
    } else {
      kernelAtLeast(guest, ixgbevfMinimumLinuxKernel, "Intel's ixgbevf driver");
    }
    const commands =
      guest.os.family === "windows"
        ? ["Install the Intel 82599 Virtual Function driver (PROWinx64)"]
        : ["dkms install ixgbevf (Intel ixgbevf 4.x)", "dracut -f"];
    return guest.kernel.drivers.ixgbevf ? unchanged(guest, commands) : changedTo(withDrivers(guest, { ixgbevf: true }), commands);
  },

  "install-aws-pv-drivers"(guest) {
    windowsOnly(guest, "Linux has the Xen front ends in its kernel: use install-xen-pv-drivers.");
    windowsAtLeastR2(guest, "AWS PV");
    const version = awsPvVersionFor(guest);
    const commands = [`AWSPVDriverSetup.msi (AWS PV ${version}), which replaces Citrix PV or Red Hat PV drivers`];
    const current = windowsPvDriversOf(guest);
    if (current.vendor === "aws") return unchanged(guest, commands);
    return changedTo(withDrivers(guest, { xenBlkfront: true, xenNetfront: true }, { windowsPvDrivers: { vendor: "aws", version } }), commands);
  },

  "install-nvme-driver"(guest) {
    windowsOnly(guest, "Linux's nvme driver comes with the kernel: use add-nvme-to-initramfs.");
    windowsAtLeastR2(guest, "The AWS NVMe driver");
    const commands = ["Install-AWSNVMe (AWS NVMe driver package: install.ps1)"];
    return guest.kernel.drivers.nvme ? unchanged(guest, commands) : changedTo(withDrivers(guest, { nvme: true }, { nvmeInInitramfs: true }), commands);
  },
};

/** Applies one named repair to the guest, or throws RepairRefused saying why it cannot apply. */
export function applyGuestRepair(guest: GuestModel, repair: GuestRepairName): RepairOutcome {
  return repairs[repair](guest);
}
