// The public catalog every region starts with, owned by Amazon: PV-GRUB kernels and machine images spanning the
// eras, each with the guest its real counterpart boots. Ids are stable per region (real AMI ids differ per
// region too); the PV-GRUB 1.05 AKIs keep their real ids where the User Guide lists them.
import { createHash } from "node:crypto";
import type { GuestModel } from "../guest.js";
import type { Image } from "../images.js";
import type { Snapshot } from "../snapshots.js";

export const amazonAccountId = "137112412989";
/** The accounts Canonical and Debian publish their official images from (no alias: DescribeImages --owners takes the id). */
export const canonicalAccountId = "099720109477";
export const debianAccountId = "136693071363";
/** Every account the catalog's machine images belong to: the public parameters may name an image of any of them. */
export const catalogPublishers: readonly string[] = [amazonAccountId, canonicalAccountId, debianAccountId];

/** PV-GRUB hd0 1.05 AKIs by region, from the User Guide (UserProvidedKernels). */
const realAkis: Record<string, { i386: string; x86_64: string }> = {
  "us-east-1": { i386: "aki-04206613", x86_64: "aki-5c21674b" },
  "us-west-1": { i386: "aki-43cf8123", x86_64: "aki-59cc8239" },
  "us-west-2": { i386: "aki-7a69931a", x86_64: "aki-70cb0e10" },
  "eu-west-1": { i386: "aki-1c9fd86f", x86_64: "aki-dc9ed9af" },
  "eu-central-1": { i386: "aki-1419e57b", x86_64: "aki-931fe3fc" },
  "ap-northeast-1": { i386: "aki-f975a998", x86_64: "aki-7077ab11" },
  "ap-southeast-1": { i386: "aki-17a40074", x86_64: "aki-73a50110" },
  "ap-southeast-2": { i386: "aki-ba5665d9", x86_64: "aki-66506305" },
  "sa-east-1": { i386: "aki-7cd34110", x86_64: "aki-912fbcfd" },
};

function stableId(prefix: string, region: string, name: string): string {
  return `${prefix}-${createHash("sha256").update(`${prefix}/${region}/${name}`).digest("hex").slice(0, 17)}`;
}

const pvMenuLst = (root: string, kernel: string, rootSpec = "LABEL=/") =>
  `default 0\ntimeout 0\ntitle ${kernel}\nroot ${root}\nkernel /boot/vmlinuz-${kernel} root=${rootSpec} console=hvc0\ninitrd /boot/initramfs-${kernel}.img\n`;

/** GRUB 2's grub.cfg as grub2-mkconfig writes it: one menu entry, the kernel's root= by UUID unless told otherwise. */
const grub2Cfg = (kernel: string, root: string) =>
  `set default=0\nset timeout=1\nmenuentry '${kernel}' {\n  linux /boot/vmlinuz-${kernel} root=${root} ro console=tty0 console=ttyS0,115200n8\n  initrd /boot/initramfs-${kernel}.img\n}\n`;

/** GRUB legacy's menu.lst of an HVM image (Amazon Linux AMI): root=LABEL=/ on the first partition. */
const hvmMenuLst = (kernel: string) =>
  `default 0\ntimeout 0\ntitle ${kernel}\nroot (hd0,0)\nkernel /boot/vmlinuz-${kernel} root=LABEL=/ console=ttyS0\ninitrd /boot/initramfs-${kernel}.img\n`;

const drivers = (d: Partial<GuestModel["kernel"]["drivers"]>): GuestModel["kernel"]["drivers"] => ({
  xenBlkfront: true,
  xenNetfront: true,
  ixgbevf: false,
  ena: false,
  nvme: false,
  nvidia: false,
  ...d,
});

/** A PV x86_64 image on an 8 GiB disk booted by PV-GRUB hd0, unless `extra` says otherwise. */
const pvX86 = (name: string, description: string, guest: GuestModel, extra: Partial<MachineSpec> = {}): MachineSpec => ({
  name,
  description,
  architecture: "x86_64",
  virtualizationType: "paravirtual",
  pvGrub: "hd0",
  rootDeviceName: "/dev/sda1",
  sizeGiB: 8,
  enaSupport: false,
  guest,
  ...extra,
});

/** A Linux guest booted by PV-GRUB from menu.lst, console hvc0. */
const pvGuest = (os: GuestModel["os"], kernel: GuestModel["kernel"], root: string, disk: GuestModel["disk"], fstabRoot: string): GuestModel => ({
  os,
  kernel,
  bootloader: { kind: "pv-grub", menuLst: pvMenuLst(root, kernel.version, fstabRoot), console: "hvc0" },
  disk,
  fstabRoot,
});

interface MachineSpec {
  name: string;
  description: string;
  architecture: Image["architecture"];
  virtualizationType: Image["virtualizationType"];
  /** For PV: which PV-GRUB AKI (hd0 for an unpartitioned disk, hd00 for a partitioned one). */
  pvGrub?: "hd0" | "hd00";
  rootDeviceName: string;
  sizeGiB: number;
  enaSupport: boolean;
  sriovNetSupport?: "simple";
  bootMode?: Image["bootMode"];
  platform?: "windows";
  /** The publisher's account when it is not Amazon's (Canonical's and Debian's current images). */
  ownerAccountId?: string;
  guest: GuestModel;
}

const machines: MachineSpec[] = [
  pvX86(
    "amzn-ami-pv-2013.09.2.x86_64-ebs",
    "Amazon Linux AMI x86_64 PV EBS",
    pvGuest(
      { family: "linux", distribution: "Amazon Linux AMI", version: "2013.09" },
      { version: "3.4.73-64.112.amzn1.x86_64", drivers: drivers({}), nvmeInInitramfs: false, canBootHvm: true },
      "(hd0)",
      { partitionTable: "none", filesystem: "ext4", uuid: "a1c2e3f4-0b1d-4e5f-8a9b-0c1d2e3f4a5b", label: "/", lvm: false },
      "LABEL=/",
    ),
  ),
  {
    name: "amzn-ami-pv-2013.09.2.i386-ebs",
    description: "Amazon Linux AMI i386 PV EBS",
    architecture: "i386",
    virtualizationType: "paravirtual",
    pvGrub: "hd0",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 8,
    enaSupport: false,
    guest: {
      os: { family: "linux", distribution: "Amazon Linux AMI", version: "2013.09" },
      kernel: { version: "3.4.73-64.112.amzn1.i686", drivers: drivers({}), nvmeInInitramfs: false, canBootHvm: true },
      bootloader: { kind: "pv-grub", menuLst: pvMenuLst("(hd0)", "3.4.73-64.112.amzn1.i686"), console: "hvc0" },
      disk: { partitionTable: "none", filesystem: "ext4", uuid: "b2d3f4a5-1c2e-4f6a-9bac-1d2e3f4a5b6c", label: "/", lvm: false },
      fstabRoot: "LABEL=/",
    },
  },
  {
    name: "ubuntu/images/ebs/ubuntu-trusty-14.04-amd64-server-20160114.5",
    description: "Canonical, Ubuntu, 14.04 LTS, amd64 trusty image build on 2016-01-14 (paravirtual)",
    architecture: "x86_64",
    virtualizationType: "paravirtual",
    pvGrub: "hd00",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 8,
    enaSupport: false,
    guest: {
      os: { family: "linux", distribution: "Ubuntu", version: "14.04" },
      kernel: { version: "3.13.0-76-generic", drivers: drivers({ ixgbevf: true }), nvmeInInitramfs: false, canBootHvm: true },
      bootloader: { kind: "pv-grub", menuLst: pvMenuLst("(hd0,0)", "3.13.0-76-generic", "LABEL=cloudimg-rootfs"), console: "hvc0" },
      disk: { partitionTable: "msdos", filesystem: "ext4", uuid: "c3e4a5b6-2d3f-4a7b-acbd-2e3f4a5b6c7d", label: "cloudimg-rootfs", lvm: false },
      fstabRoot: "LABEL=cloudimg-rootfs",
    },
  },
  // The last Amazon Linux AMI with PV editions: kernel 4.14 has PV-on-HVM, ENA and NVMe, so it converts and runs on Nitro.
  pvX86(
    "amzn-ami-pv-2018.03.0.20190611-x86_64-ebs",
    "Amazon Linux AMI 2018.03.0.20190611 x86_64 PV EBS",
    pvGuest(
      { family: "linux", distribution: "Amazon Linux AMI", version: "2018.03" },
      { version: "4.14.121-85.96.amzn1.x86_64", drivers: drivers({ ixgbevf: true, ena: true, nvme: true }), nvmeInInitramfs: true, canBootHvm: true },
      "(hd0)",
      { partitionTable: "none", filesystem: "ext4", uuid: "1e2f3a4b-5c6d-4e7f-8a9b-a0b1c2d3e4f5", label: "/", lvm: false },
      "LABEL=/",
    ),
  ),
  // A Xen PV-only kernel (2.6.18-xen): no PV-on-HVM drivers, so it cannot be converted to HVM.
  pvX86(
    "centos-5.11-x86_64-pv-ebs",
    "CentOS 5.11 x86_64 PV EBS (kernel-xen 2.6.18, PV only)",
    pvGuest(
      { family: "linux", distribution: "CentOS", version: "5.11" },
      { version: "2.6.18-398.el5xen", drivers: drivers({}), nvmeInInitramfs: false, canBootHvm: false },
      "(hd0)",
      { partitionTable: "none", filesystem: "ext3", uuid: "2f3a4b5c-6d7e-4f8a-9bac-b1c2d3e4f5a6", label: "/", lvm: false },
      "LABEL=/",
    ),
  ),
  // Root on LVM with a separate /boot partition for PV-GRUB: a partition copy cannot carry the volume group.
  pvX86(
    "rhel-6.5-x86_64-pv-lvm-ebs",
    "Red Hat Enterprise Linux 6.5 x86_64 PV EBS, root on LVM (separate /boot)",
    pvGuest(
      { family: "linux", distribution: "Red Hat Enterprise Linux", version: "6.5" },
      { version: "2.6.32-431.el6.x86_64", drivers: drivers({ ixgbevf: true }), nvmeInInitramfs: false, canBootHvm: true },
      "(hd0,0)",
      { partitionTable: "msdos", filesystem: "ext4", uuid: "3a4b5c6d-7e8f-4a9b-acbd-c2d3e4f5a6b7", label: "", lvm: true },
      "/dev/mapper/VolGroup-lv_root",
    ),
    { pvGrub: "hd00", sizeGiB: 10 },
  ),
  {
    name: "amzn-ami-hvm-2016.03.0.x86_64-gp2",
    description: "Amazon Linux AMI 2016.03.0 x86_64 HVM GP2 (no ENA attribute)",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: false,
    sriovNetSupport: "simple",
    guest: {
      os: { family: "linux", distribution: "Amazon Linux AMI", version: "2016.03" },
      kernel: { version: "4.4.5-15.26.amzn1.x86_64", drivers: drivers({ ixgbevf: true }), nvmeInInitramfs: false, canBootHvm: true },
      bootloader: { kind: "grub-mbr", grub: "legacy", menuLst: hvmMenuLst("4.4.5-15.26.amzn1.x86_64"), console: "ttyS0" },
      disk: { partitionTable: "gpt", filesystem: "ext4", uuid: "d4f5b6c7-3e4a-4b8c-bdce-3f4a5b6c7d8e", label: "/", lvm: false },
      fstabRoot: "LABEL=/",
    },
  },
  {
    name: "amzn2-ami-hvm-2.0.20190313-x86_64-gp2",
    description: "Amazon Linux 2 AMI 2.0.20190313 x86_64 HVM gp2",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    sriovNetSupport: "simple",
    guest: {
      os: { family: "linux", distribution: "Amazon Linux", version: "2" },
      kernel: { version: "4.14.104-95.84.amzn2.x86_64", drivers: drivers({ ixgbevf: true, ena: true, nvme: true }), nvmeInInitramfs: true, canBootHvm: true },
      bootloader: {
        kind: "grub-mbr",
        grub: "grub2",
        grubCfg: grub2Cfg("4.14.104-95.84.amzn2.x86_64", "UUID=e5a6c7d8-4f5b-4c9d-cedf-4a5b6c7d8e9f"),
        console: "ttyS0",
      },
      disk: { partitionTable: "gpt", filesystem: "xfs", uuid: "e5a6c7d8-4f5b-4c9d-cedf-4a5b6c7d8e9f", label: "/", lvm: false },
      fstabRoot: "UUID=e5a6c7d8-4f5b-4c9d-cedf-4a5b6c7d8e9f",
    },
  },
  {
    name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    sriovNetSupport: "simple",
    bootMode: "uefi-preferred",
    guest: {
      os: { family: "linux", distribution: "Amazon Linux", version: "2023" },
      kernel: {
        version: "6.1.119-129.201.amzn2023.x86_64",
        drivers: drivers({ ixgbevf: true, ena: true, nvme: true }),
        nvmeInInitramfs: true,
        canBootHvm: true,
      },
      // GRUB 2 in the BIOS boot partition and on the EFI system partition: uefi-preferred boots either way.
      bootloader: {
        kind: "grub-efi",
        bootModes: ["legacy-bios", "uefi"],
        grubCfg: grub2Cfg("6.1.119-129.201.amzn2023.x86_64", "UUID=f6b7d8e9-5a6c-4dae-dfea-5b6c7d8e9fa0"),
        console: "ttyS0",
      },
      disk: { partitionTable: "gpt", filesystem: "xfs", uuid: "f6b7d8e9-5a6c-4dae-dfea-5b6c7d8e9fa0", label: "/", lvm: false },
      fstabRoot: "UUID=f6b7d8e9-5a6c-4dae-dfea-5b6c7d8e9fa0",
    },
  },
  {
    name: "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64",
    description: "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1",
    architecture: "arm64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    bootMode: "uefi",
    guest: {
      os: { family: "linux", distribution: "Amazon Linux", version: "2023" },
      kernel: {
        version: "6.1.119-129.201.amzn2023.aarch64",
        drivers: drivers({ xenBlkfront: false, xenNetfront: false, ena: true, nvme: true }),
        nvmeInInitramfs: true,
        canBootHvm: true,
      },
      bootloader: { kind: "grub-efi", console: "ttyS0" },
      disk: { partitionTable: "gpt", filesystem: "xfs", uuid: "a7c8e9fa-6b7d-4ebf-eafb-6c7d8e9fa0b1", label: "/", lvm: false },
      fstabRoot: "UUID=a7c8e9fa-6b7d-4ebf-eafb-6c7d8e9fa0b1",
    },
  },
  {
    name: "debian-jessie-amd64-hvm-2017-01-15-1221-ebs",
    description: "Debian 8 (jessie) HVM with ENA, but the nvme module is not in its initramfs and fstab names /dev/xvda1",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    sriovNetSupport: "simple",
    guest: {
      os: { family: "linux", distribution: "Debian", version: "8" },
      kernel: { version: "3.16.0-4-amd64", drivers: drivers({ ixgbevf: true, ena: true, nvme: true }), nvmeInInitramfs: false, canBootHvm: true },
      bootloader: { kind: "grub-mbr", grub: "grub2", grubCfg: grub2Cfg("3.16.0-4-amd64", "UUID=b8d9fa0b-7c8e-4fc0-fb0c-7d8e9fa0b1c2"), console: "ttyS0" },
      disk: { partitionTable: "msdos", filesystem: "ext4", uuid: "b8d9fa0b-7c8e-4fc0-fb0c-7d8e9fa0b1c2", label: "", lvm: false },
      fstabRoot: "/dev/xvda1",
    },
  },
  {
    name: "centos-7-x86_64-hvm-custom-kernel-4.19",
    description: "CentOS 7 HVM with a custom 4.19 kernel built without ixgbevf; its grub.cfg names root=/dev/xvda1, its fstab the UUID",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    guest: {
      os: { family: "linux", distribution: "CentOS", version: "7" },
      kernel: { version: "4.19.152-custom", drivers: drivers({ ena: true, nvme: true }), nvmeInInitramfs: true, canBootHvm: true },
      bootloader: { kind: "grub-mbr", grub: "grub2", grubCfg: grub2Cfg("4.19.152-custom", "/dev/xvda1"), console: "ttyS0" },
      disk: { partitionTable: "msdos", filesystem: "xfs", uuid: "d0fb0c1d-9e0f-4be2-1d2e-9f0a1b2c3d4e", label: "", lvm: false },
      fstabRoot: "UUID=d0fb0c1d-9e0f-4be2-1d2e-9f0a1b2c3d4e",
    },
  },
  {
    name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2) Version 65.3",
    description: "GPU-ready: Amazon Linux 2 with the NVIDIA driver, CUDA and ENA",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 75,
    enaSupport: true,
    sriovNetSupport: "simple",
    guest: {
      os: { family: "linux", distribution: "Amazon Linux", version: "2" },
      kernel: {
        version: "5.10.230-223.885.amzn2.x86_64",
        drivers: drivers({ ixgbevf: true, ena: true, nvme: true, nvidia: true }),
        nvmeInInitramfs: true,
        canBootHvm: true,
      },
      bootloader: {
        kind: "grub-mbr",
        grub: "grub2",
        grubCfg: grub2Cfg("5.10.230-223.885.amzn2.x86_64", "UUID=c9eafb0c-8d9f-4ad1-0c1d-8e9fa0b1c2d3"),
        console: "ttyS0",
      },
      disk: { partitionTable: "gpt", filesystem: "xfs", uuid: "c9eafb0c-8d9f-4ad1-0c1d-8e9fa0b1c2d3", label: "/", lvm: false },
      fstabRoot: "UUID=c9eafb0c-8d9f-4ad1-0c1d-8e9fa0b1c2d3",
    },
  },
  {
    name: "Windows_Server-2019-English-Full-Base-2024.12.13",
    description: "Microsoft Windows Server 2019 with Desktop Experience Locale English AMI provided by Amazon",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 30,
    enaSupport: true,
    sriovNetSupport: "simple",
    platform: "windows",
    guest: {
      os: { family: "windows", distribution: "Windows Server", version: "2019" },
      kernel: {
        version: "10.0.17763",
        drivers: drivers({ ixgbevf: true, ena: true, nvme: true }),
        nvmeInInitramfs: true,
        canBootHvm: true,
        windowsPvDrivers: { vendor: "aws", version: "8.4.3" },
      },
      bootloader: { kind: "windows-boot-manager", console: "none" },
      disk: { partitionTable: "msdos", filesystem: "ntfs", uuid: "0A1B2C3D4E5F6071", label: "Windows", lvm: false },
      fstabRoot: "C:",
    },
  },
  // Windows before Nitro: AWS PV 7.x and the Intel VF driver, but no ENA (2016-09) nor AWS NVMe (2017-11) driver.
  {
    name: "Windows_Server-2012-R2_RTM-English-64Bit-Base-2016.06.15",
    description: "Microsoft Windows Server 2012 R2 RTM 64-bit Locale English AMI provided by Amazon",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 30,
    enaSupport: false,
    sriovNetSupport: "simple",
    platform: "windows",
    guest: {
      os: { family: "windows", distribution: "Windows Server", version: "2012 R2" },
      kernel: {
        version: "6.3.9600",
        drivers: drivers({ ixgbevf: true }),
        nvmeInInitramfs: false,
        canBootHvm: true,
        windowsPvDrivers: { vendor: "aws", version: "7.4.2" },
      },
      bootloader: { kind: "windows-boot-manager", console: "none" },
      disk: { partitionTable: "msdos", filesystem: "ntfs", uuid: "1B2C3D4E5F607182", label: "Windows", lvm: false },
      fstabRoot: "C:",
    },
  },
  // Windows Server 2008 (not R2) runs Citrix PV 5.9 on Xen types only: no ENA, NVMe or AWS PV driver installs on it.
  {
    name: "Windows_Server-2008-SP2-English-64Bit-Base-2016.06.15",
    description: "Microsoft Windows Server 2008 SP2 Datacenter 64-bit Locale English Base AMI provided by Amazon",
    architecture: "x86_64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 30,
    enaSupport: false,
    platform: "windows",
    guest: {
      os: { family: "windows", distribution: "Windows Server", version: "2008 SP2" },
      kernel: {
        version: "6.0.6002",
        drivers: drivers({}),
        nvmeInInitramfs: false,
        canBootHvm: true,
        windowsPvDrivers: { vendor: "citrix", version: "5.9" },
      },
      bootloader: { kind: "windows-boot-manager", console: "none" },
      disk: { partitionTable: "msdos", filesystem: "ntfs", uuid: "2C3D4E5F60718293", label: "Windows", lvm: false },
      fstabRoot: "C:",
    },
  },
  ...currentDistributions(),
];

/**
 * Ubuntu 22.04 LTS and Debian 12 as their publishers ship them today, on x86_64 and arm64 (Graviton): HVM with ENA
 * and NVMe in the initramfs. The amd64 disks carry GRUB for both BIOS and UEFI and are registered uefi-preferred;
 * the arm64 ones boot with UEFI only (docs/decisions.md).
 */
function currentDistributions(): MachineSpec[] {
  const x86Drivers = drivers({ ixgbevf: true, ena: true, nvme: true });
  const armDrivers = drivers({ xenBlkfront: false, xenNetfront: false, ena: true, nvme: true });
  const ubuntu = (arch: "amd64" | "arm64", uuid: string): MachineSpec => ({
    name: `ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-${arch}-server-20240927`,
    description: `Canonical, Ubuntu, 22.04 LTS, ${arch} jammy image build on 2024-09-27`,
    architecture: arch === "amd64" ? "x86_64" : "arm64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/sda1",
    sizeGiB: 8,
    enaSupport: true,
    ...(arch === "amd64" ? { sriovNetSupport: "simple" as const } : {}),
    bootMode: arch === "amd64" ? "uefi-preferred" : "uefi",
    ownerAccountId: canonicalAccountId,
    guest: {
      os: { family: "linux", distribution: "Ubuntu", version: "22.04" },
      kernel: { version: "6.8.0-1016-aws", drivers: arch === "amd64" ? x86Drivers : armDrivers, nvmeInInitramfs: true, canBootHvm: true },
      bootloader: { kind: arch === "amd64" ? "grub-hybrid" : "grub-efi", console: "ttyS0" },
      disk: { partitionTable: "gpt", filesystem: "ext4", uuid, label: "cloudimg-rootfs", lvm: false },
      fstabRoot: "LABEL=cloudimg-rootfs",
    },
  });
  const debian = (arch: "amd64" | "arm64", uuid: string): MachineSpec => ({
    name: `debian-12-${arch}-20230711-1438`,
    description: "Debian 12 (20230711-1438)",
    architecture: arch === "amd64" ? "x86_64" : "arm64",
    virtualizationType: "hvm",
    rootDeviceName: "/dev/xvda",
    sizeGiB: 8,
    enaSupport: true,
    ...(arch === "amd64" ? { sriovNetSupport: "simple" as const } : {}),
    bootMode: arch === "amd64" ? "uefi-preferred" : "uefi",
    ownerAccountId: debianAccountId,
    guest: {
      os: { family: "linux", distribution: "Debian", version: "12" },
      kernel: { version: `6.1.0-10-cloud-${arch}`, drivers: arch === "amd64" ? x86Drivers : armDrivers, nvmeInInitramfs: true, canBootHvm: true },
      bootloader: { kind: arch === "amd64" ? "grub-hybrid" : "grub-efi", console: "ttyS0" },
      disk: { partitionTable: "gpt", filesystem: "ext4", uuid, label: "", lvm: false },
      fstabRoot: `PARTUUID=${uuid}`,
    },
  });
  return [
    ubuntu("amd64", "0d1e2f3a-4b5c-4d6e-8f7a-1b2c3d4e5f60"),
    ubuntu("arm64", "1e2f3a4b-5c6d-4e7f-9a8b-2c3d4e5f6071"),
    debian("amd64", "2f3a4b5c-6d7e-4f80-8b9c-3d4e5f607182"),
    debian("arm64", "3a4b5c6d-7e8f-4091-9cad-4e5f60718293"),
  ];
}

/** The snapshots and images of the Amazon catalog in one region. */
export function amazonCatalog(region: string, createdAt: Date): { snapshots: Snapshot[]; images: Image[] } {
  const amazon = { accountId: amazonAccountId, ownerAlias: "amazon" };
  const base = { region, public: true, createdAt, availableAt: createdAt, launchPermissions: [], tags: [] };
  const kernels: Image[] = [];
  const akiIds: Record<string, string> = {};
  for (const variant of ["hd0", "hd00"] as const) {
    for (const architecture of ["i386", "x86_64"] as const) {
      const name = `pv-grub-${variant}_1.05-${architecture}.gz`;
      const imageId = (variant === "hd0" && realAkis[region]?.[architecture]) || stableId("aki", region, name);
      akiIds[`${variant}/${architecture}`] = imageId;
      kernels.push({
        ...base,
        ...amazon,
        imageId,
        name,
        description: `PV-GRUB release 1.05, ${architecture === "i386" ? "32" : "64"}-bit${variant === "hd00" ? ", for a partitioned disk (hd0,0)" : ""}`,
        imageType: "kernel",
        architecture,
        virtualizationType: "paravirtual",
        rootDeviceType: "instance-store",
        blockDeviceMappings: [],
        enaSupport: false,
      });
    }
  }
  const snapshots: Snapshot[] = [];
  const images: Image[] = machines.map((spec) => {
    const snapshotId = stableId("snap", region, spec.name);
    // Canonical's and Debian's images and snapshots are theirs, without the "amazon" alias.
    const owner = spec.ownerAccountId ? { accountId: spec.ownerAccountId } : amazon;
    snapshots.push({
      snapshotId,
      region,
      ...owner,
      volumeSize: spec.sizeGiB,
      description: `Root disk of ${spec.name}`,
      encrypted: false,
      public: true,
      createVolumePermissions: [],
      startTime: createdAt,
      completesAt: createdAt,
      guest: spec.guest,
    });
    return {
      ...base,
      ...owner,
      imageId: stableId("ami", region, spec.name),
      name: spec.name,
      description: spec.description,
      imageType: "machine",
      architecture: spec.architecture,
      virtualizationType: spec.virtualizationType,
      ...(spec.pvGrub ? { kernelId: akiIds[`${spec.pvGrub}/${spec.architecture}`] } : {}),
      rootDeviceName: spec.rootDeviceName,
      rootDeviceType: "ebs",
      blockDeviceMappings: [
        {
          DeviceName: spec.rootDeviceName,
          Ebs: { SnapshotId: snapshotId, VolumeSize: spec.sizeGiB, VolumeType: "gp2", DeleteOnTermination: true, Encrypted: false },
        },
      ],
      enaSupport: spec.enaSupport,
      ...(spec.sriovNetSupport ? { sriovNetSupport: spec.sriovNetSupport } : {}),
      ...(spec.bootMode ? { bootMode: spec.bootMode } : {}),
      ...(spec.platform ? { platform: spec.platform } : {}),
    };
  });
  return { snapshots, images: [...kernels, ...images] };
}
