// The boot-time rules on the guest's drivers and bootloader configuration beyond NVMe, fstab and ENA: each warns
// where the simulated boot (src/domain/boot.ts, windows-boot.ts) would fail, and its fix names the RepairGuest
// repair that makes the guest boot (src/domain/guest-repairs.ts).
import { isFirstGeneration, offersIntelSriov } from "./catalog/type-facts.js";
import { bootConfiguration, rootSpecResolves, windowsPvDriversOf } from "./guest.js";
import type { Rule } from "./launch-rules.js";

const pass = (reason: string) => ({ outcome: "passed" as const, reason });
const skip = (reason: string) => ({ outcome: "skipped" as const, reason });
const warn = (reason: string, fix: string) => ({ outcome: "warning" as const, reason, fix });
const onRootVolume = (repair: string) =>
  `RepairGuest --repair ${repair} on the root volume (mini-ec2 guest --instance-id <stopped instance> --repair ${repair})`;

export const guestDriverRules: readonly Rule[] = [
  {
    id: "guest-windows-pv-drivers",
    title: "On Xen, a Windows guest needs Xen PV drivers the type supports (AWS PV or Citrix PV)",
    explanation:
      "A Windows guest on a Xen type reaches its disk and network through paravirtual drivers. AWS PV and Citrix PV run on every Xen type; Red Hat PV only on some (AWS: 'If you specify an unsupported instance type, the instance is impaired'). Windows Server 2008 R2 and later should run AWS PV, 2008 and 2003 Citrix PV 5.9.",
    enforcedAt: [],
    check({ type, guest }) {
      if (type.Hypervisor !== "xen") return skip(`${type.InstanceType} is not a Xen type: Windows uses NVMe and ENA there.`);
      if (!guest || guest.os.family !== "windows") return skip("Not a Windows guest.");
      const pv = windowsPvDriversOf(guest);
      if (pv.vendor === "none") return warn("The Windows guest has no Xen PV drivers.", onRootVolume("install-aws-pv-drivers"));
      if (pv.vendor === "redhat" && !isFirstGeneration(type.InstanceType!)) {
        return warn(`Red Hat PV drivers do not support ${type.InstanceType}.`, onRootVolume("install-aws-pv-drivers"));
      }
      return pass(`The guest runs ${pv.vendor === "aws" ? "AWS" : pv.vendor === "citrix" ? "Citrix" : "Red Hat"} PV ${pv.version}.`);
    },
  },
  {
    id: "guest-sriov-ixgbevf",
    title: "SriovNetSupport on an 82599 VF type needs the ixgbevf driver in the guest",
    explanation:
      "With SriovNetSupport=simple, C3, C4, D2, I2, M4 (below 16xlarge) and R3 give the instance an Intel 82599 virtual function as its network interface: a guest without ixgbevf (Windows: the Intel 82599 VF driver) has no network.",
    enforcedAt: [],
    check({ image, type, guest }) {
      if (image.sriovNetSupport !== "simple" || !offersIntelSriov(type)) return skip("The interface is not an 82599 virtual function here.");
      if (!guest) return skip("The guest is not known.");
      if (guest.kernel.drivers.ixgbevf) return pass("The guest has the ixgbevf driver.");
      return warn("SriovNetSupport is simple, and the guest has no ixgbevf driver.", onRootVolume("install-ixgbevf-driver"));
    },
  },
  {
    id: "guest-boot-config-root",
    title: "The kernel's root= in the bootloader configuration names the root on this type's devices",
    explanation:
      "An HVM guest's GRUB reads its own configuration (menu.lst for GRUB legacy, grub.cfg for GRUB 2), and the kernel mounts the root= written there before /etc/fstab is read. A device name (root=/dev/xvda1) breaks on Nitro, where the disk is /dev/nvme0n1; UUID= and LABEL= do not.",
    enforcedAt: [],
    check({ image, type, guest }) {
      if (image.virtualizationType !== "hvm") return skip("A PV image's root= is read by PV-GRUB, from menu.lst.");
      if (!guest || guest.os.family === "windows") return skip("No Linux bootloader configuration.");
      const config = bootConfiguration(guest, "hvm");
      const disk = type.Hypervisor === "xen" ? "xvda" : "nvme0n1";
      const root = guest.disk.partitionTable === "none" ? disk : disk === "xvda" ? "xvda1" : "nvme0n1p1";
      if (rootSpecResolves(config.root, guest, [`/dev/${root}`])) return pass(`${config.path} names root=${config.root}.`);
      return warn(`${config.path} names root=${config.root}, and the root here is /dev/${root}.`, onRootVolume("fix-grub-root"));
    },
  },
];
