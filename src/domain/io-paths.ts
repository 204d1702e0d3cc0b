// The path each of a guest's devices takes to the hardware, from the same facts its boot reads (docs/console.md):
// on Xen a PV guest's disk and network are split drivers whose back ends run in dom0; an HVM guest gets devices
// emulated by dom0's QEMU unless its kernel has PV-on-HVM drivers, which then take the same split-driver path; an
// SR-IOV virtual function (Intel 82599, ixgbevf) or ENA is handed to the guest and bypasses dom0. On Nitro the EBS
// disk is an NVMe device and the network an ENA device, both on a Nitro card, with no dom0 at all. Pure.
import { usesEna } from "./catalog/type-facts.js";
import type { BootInput } from "./boot.js";
import { windowsPvDriversOf } from "./guest.js";

export type IoPathKind = "pv-split-driver" | "emulated" | "pv-on-hvm" | "sriov-vf" | "ena" | "nvme";

export interface IoPath {
  /** The guest's name for the device: its root disk (xvda, nvme0n1) or an interface (eth0). */
  device: string;
  deviceType: "disk" | "network";
  path: IoPathKind;
  /** The guest driver the path needs. */
  driver: string;
  /** Whether the guest has that driver: without it the device is unusable (and the boot says so). */
  driverPresent: boolean;
  /** Where the other end of the device runs. */
  through: "dom0" | "nitro-card" | "hardware";
  description: string;
}

export function ioPathsOf(input: BootInput): IoPath[] {
  const interfaceCount = Math.max(1, input.interfaces?.length ?? 0);
  const network = networkPath(input);
  return [
    diskPath(input),
    ...Array.from({ length: interfaceCount }, (_unused, index) => ({ device: `eth${index}`, deviceType: "network" as const, ...network })),
  ];
}

type PathFacts = Omit<IoPath, "device" | "deviceType">;

function diskPath(input: BootInput): IoPath {
  const { guest } = input;
  const windows = guest.os.family === "windows";
  if (input.hypervisor !== "xen") {
    return {
      device: "nvme0n1",
      deviceType: "disk",
      path: "nvme",
      driver: windows ? "AWS NVMe driver" : "nvme",
      driverPresent: guest.kernel.drivers.nvme,
      through: "nitro-card",
      description: "EBS volume as an NVMe device on a Nitro card: no dom0, the card does the storage I/O.",
    };
  }
  return { device: "xvda", deviceType: "disk", ...xenPath(input, "disk") };
}

function networkPath(input: BootInput): PathFacts {
  const { guest } = input;
  const windows = guest.os.family === "windows";
  const nitro = input.hypervisor !== "xen";
  if (usesEna(input.enaSupport, input.typeEna)) {
    return {
      path: "ena",
      driver: windows ? "Amazon Elastic Network Adapter" : "ena",
      driverPresent: guest.kernel.drivers.ena,
      through: nitro ? "nitro-card" : "hardware",
      description: nitro
        ? "Elastic Network Adapter on a Nitro card: the card does the network I/O."
        : "Elastic Network Adapter handed to the guest (SR-IOV): the network bypasses dom0.",
    };
  }
  if (nitro) {
    return {
      path: "ena",
      driver: "ena",
      driverPresent: false,
      through: "nitro-card",
      description: "A Nitro instance's only network device is ENA, and ENA is not enabled: no network.",
    };
  }
  if (input.sriovNetSupport && input.typeSriov) {
    return {
      path: "sriov-vf",
      driver: windows ? "Intel 82599 Virtual Function" : "ixgbevf",
      driverPresent: guest.kernel.drivers.ixgbevf,
      through: "hardware",
      description: "An Intel 82599 virtual function (SR-IOV) handed to the guest: the network bypasses dom0.",
    };
  }
  return xenPath(input, "network");
}

/** A Xen device without pass-through: split drivers through dom0 (PV, or PV-on-HVM), or QEMU's emulation. */
function xenPath(input: BootInput, deviceType: IoPath["deviceType"]): PathFacts {
  const { guest } = input;
  const disk = deviceType === "disk";
  const frontEnd = disk ? "xen-blkfront" : "xen-netfront";
  const backEnd = disk ? "blkback" : "netback";
  if (input.virtualizationType === "paravirtual") {
    return {
      path: "pv-split-driver",
      driver: frontEnd,
      driverPresent: disk ? guest.kernel.drivers.xenBlkfront : guest.kernel.drivers.xenNetfront,
      through: "dom0",
      description: `PV split driver: ${frontEnd} in the guest passes requests over shared memory rings to ${backEnd} in dom0.`,
    };
  }
  const pvOnHvm =
    guest.os.family === "windows" ? windowsPvDriversOf(guest).vendor !== "none" : disk ? guest.kernel.drivers.xenBlkfront : guest.kernel.drivers.xenNetfront;
  if (pvOnHvm) {
    return {
      path: "pv-on-hvm",
      driver: guest.os.family === "windows" ? `${windowsPvDriversOf(guest).vendor} PV drivers` : frontEnd,
      driverPresent: true,
      through: "dom0",
      description: `PV-on-HVM: an HVM guest's PV driver (found through the Xen platform PCI device) talks to ${backEnd} in dom0, skipping emulation.`,
    };
  }
  return {
    path: "emulated",
    driver: disk ? "ata_piix (IDE)" : "8139too (RTL8139)",
    driverPresent: true,
    through: "dom0",
    description: `Emulated ${disk ? "IDE disk" : "RTL8139 network card"}: QEMU in dom0 traps and emulates every access, the slowest path.`,
  };
}
