// How a Windows guest boots, decided by its drivers as a Linux guest's are: on Xen its PV drivers (AWS PV and
// Citrix PV run on every Xen type; Red Hat PV only on the first generation, "If you specify an unsupported instance
// type, the instance is impaired"), on Nitro the AWS NVMe driver for its boot disk (without it Windows stops with
// INACCESSIBLE_BOOT_DEVICE) and the ENA driver for its only network adapter. AWS's "Paravirtual drivers for Windows
// instances" and "Migrate to current generation instance types" pages; the choices in docs/decisions.md.
import { isFirstGeneration, usesEna } from "./catalog/type-facts.js";
import { type BootInput, type BootResult, failedBoot } from "./boot.js";
import { windowsPvDriversOf } from "./guest.js";

export function simulateWindowsBoot(input: BootInput): BootResult {
  const { guest } = input;
  const nitro = input.hypervisor !== "xen";
  const lines: string[] = [nitro ? "Nitro System, UEFI/BIOS firmware" : "Xen HVM domU, SeaBIOS", "Windows Boot Manager"];
  const deciding: number[] = [];
  /** Adds the lines that decide the boot: the storage and network drivers that came up. */
  const decide = (line: string) => deciding.push(lines.push(line) - 1);
  const fail = (failure: string, ...last: string[]): BootResult => failedBoot(lines, failure, last);
  const noNetwork = (failure: string, driver: string) =>
    fail(failure, `EC2Launch: no network adapter with a driver (${driver} is not installed); waiting for network timed out`, "Windows is not reachable");

  if (nitro) {
    if (!guest.kernel.drivers.nvme) {
      return fail(
        "Windows has no AWS NVMe driver for the Nitro boot disk",
        "Your PC ran into a problem and needs to restart.",
        "Stop code: INACCESSIBLE_BOOT_DEVICE (0x0000007B)",
        "(the boot disk is an NVMe device here, and Windows loads only the storage drivers of the hardware it last ran on)",
      );
    }
    decide("AWS NVMe Elastic Block Storage Adapter: disk 0 online");
    if (!usesEna(input.enaSupport, input.typeEna)) return noNetwork("a Nitro instance has only an ENA network adapter, and ENA is not enabled", "ENA");
    if (!guest.kernel.drivers.ena) return noNetwork("Windows has no ENA driver: no network", "Amazon Elastic Network Adapter");
    decide("Amazon Elastic Network Adapter: link up");
  } else {
    const pv = windowsPvDriversOf(guest);
    if (pv.vendor === "none")
      return fail("Windows has no Xen PV drivers: no PV disk nor network", "Windows is not reachable: no Xen PV storage or network driver");
    if (pv.vendor === "redhat" && !isFirstGeneration(input.instanceType)) {
      return fail(
        `Red Hat PV drivers do not support ${input.instanceType}: the instance is impaired`,
        "Red Hat PV SCSI: unsupported device",
        "Windows is not reachable",
      );
    }
    const storage = pv.vendor === "aws" ? "AWS PV Storage Host Adapter" : pv.vendor === "citrix" ? "Citrix PV SCSI Host Adapter" : "Red Hat PV SCSI";
    decide(`${storage}: disk 0 online (${pv.vendor} PV ${pv.version})`);
    if (usesEna(input.enaSupport, input.typeEna)) {
      if (!guest.kernel.drivers.ena) return noNetwork("the instance uses ENA, and Windows has no ENA driver: no network", "Amazon Elastic Network Adapter");
      decide("Amazon Elastic Network Adapter: link up");
    } else if (input.sriovNetSupport && input.typeSriov) {
      if (!guest.kernel.drivers.ixgbevf)
        return noNetwork("SriovNetSupport is simple, and Windows has no Intel 82599 VF driver: no network", "Intel 82599 Virtual Function");
      decide("Intel(R) 82599 Virtual Function: link up");
    } else {
      decide(`${pv.vendor === "aws" ? "AWS PV Network Device" : "Citrix PV Ethernet Adapter"}: link up`);
    }
  }
  lines.push("Windows is Ready to use");
  return { lines, deciding, booted: true };
}
