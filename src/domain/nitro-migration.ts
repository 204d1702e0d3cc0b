// The Xen to Nitro migration's rules, without I/O, after AWS's AWSSupport-MigrateXenToNitroLinux runbook
// (shared/reference/ec2-facts.md §3): its preliminary checks, each with the runbook's reason when it fails, what the
// checker script reports about the guest (ENA, NVMe in the initramfs, fstab), and the steps a run goes through.
// The workflow (src/services/workflows/migrate-xen-to-nitro.ts) applies them; docs/nitro-migration.md tells the story.
import type { GuestRepairName } from "./guest-repairs.js";
import { fstabNamesXenDevice, type GuestModel, networkNamingOf, nvmeRootProblem } from "./guest.js";
import type { RunState } from "./workflows.js";

export const nitroMigrationWorkflowName = "migrate-xen-to-nitro";
export const migrationOperationTypes = ["CheckOnly", "FullMigration"] as const;
export type MigrationOperationType = (typeof migrationOperationTypes)[number];

/** What a run was asked to do; stored as the run's input, so a restart sees exactly this. */
export interface NitroMigrationInput {
  instanceId: string;
  targetInstanceType: string;
  operationType: MigrationOperationType;
}

/** The runbook's own names for the checks it makes before it touches anything. */
export const preliminaryCheckNames = [
  "checkIfInstanceIsAlreadyNitro",
  "checkIfSpotInstance",
  "checkIfInstanceStoreVolumesAttached",
  "checkIfOperatingSystemIsLinux",
  "checkIfRootVolumeIsEBS",
  "checkIfRootVolumeIsLVM",
  "checkIfInstanceIsHVM",
  "checkIfNitroInstanceTypeIsSupportedInAZ",
  "checkIfTargetInstanceTypeIsNitro",
] as const;

/** What the checker script (nitro_check_script.sh) looks at in the guest: the run repairs these, so they only report. */
export const guestReadinessNames = ["ena-driver", "nvme-in-initramfs", "fstab-device-names", "predictable-interface-names"] as const;

export interface CheckResult {
  name: string;
  /** passed; failed (ends the run with the reason); repair (the guest lacks it and the migration will fix it). */
  outcome: "passed" | "failed" | "repair";
  detail: string;
}

/** Everything the checks read, gathered by the service from the instance, its root volume and the catalog. */
export interface MigrationFacts {
  instanceId: string;
  instanceType: string;
  availabilityZone: string;
  sourceHypervisor: "xen" | "nitro" | "none";
  platform?: "windows";
  virtualizationType: "paravirtual" | "hvm";
  architecture: string;
  /** Instance-store (ephemeral) devices the instance was launched with. */
  instanceStoreDevices: readonly string[];
  /** A Spot Instance (launched by a Spot request): the runbook refuses it. */
  spot: boolean;
  /** The EBS volume at the root device, with the guest on it; absent when nothing is attached there. */
  rootVolume?: { volumeId: string; guest?: GuestModel };
  rootDeviceName: string;
  target: { name: string; hypervisor: "xen" | "nitro" | "none"; architectures: readonly string[]; zones: readonly string[] };
}

const pass = (name: string, detail: string): CheckResult => ({ name, outcome: "passed", detail });
const fail = (name: string, detail: string): CheckResult => ({ name, outcome: "failed", detail });

/** The runbook's preliminary checks, in its order; every one is evaluated so a CheckOnly report shows them all. */
export function preliminaryChecks(facts: MigrationFacts): CheckResult[] {
  const { instanceId, target } = facts;
  const guest = facts.rootVolume?.guest;
  const windows = facts.platform === "windows" || guest?.os.family === "windows";
  return [
    facts.sourceHypervisor === "xen"
      ? pass("checkIfInstanceIsAlreadyNitro", `${facts.instanceType} runs on Xen.`)
      : fail(
          "checkIfInstanceIsAlreadyNitro",
          `The instance ${instanceId} is already running on the Nitro System (${facts.instanceType}); there is nothing to migrate. To change its size, stop it and change its instance type.`,
        ),
    facts.spot
      ? fail("checkIfSpotInstance", `The instance ${instanceId} is a Spot Instance, which this runbook does not support.`)
      : pass("checkIfSpotInstance", "On-Demand."),
    facts.instanceStoreDevices.length > 0
      ? fail(
          "checkIfInstanceStoreVolumesAttached",
          `The instance ${instanceId} has instance store volumes attached (${facts.instanceStoreDevices.join(", ")}). The runbook does not support instances with instance store volumes: their data is lost when the instance stops, and an image of the instance does not carry it. Copy the data to EBS and launch the instance without instance store volumes first.`,
        )
      : pass("checkIfInstanceStoreVolumesAttached", "No instance store volumes."),
    windows
      ? fail(
          "checkIfOperatingSystemIsLinux",
          `The instance ${instanceId} runs Windows; this runbook migrates Linux instances only. For Windows, install the ENA, NVMe and AWS PV drivers (AWSSupport-UpgradeWindowsAWSDrivers, or RepairGuest install-ena-driver and install-nvme-driver) and change the instance type.`,
        )
      : pass("checkIfOperatingSystemIsLinux", guest ? `${guest.os.distribution} ${guest.os.version}.` : "Linux."),
    facts.rootVolume
      ? pass("checkIfRootVolumeIsEBS", `${facts.rootDeviceName} is ${facts.rootVolume.volumeId}.`)
      : fail(
          "checkIfRootVolumeIsEBS",
          `The root device ${facts.rootDeviceName} of ${instanceId} is not an EBS volume; the runbook migrates EBS-backed instances only. Attach the root volume back at ${facts.rootDeviceName}.`,
        ),
    guest?.disk.lvm
      ? fail(
          "checkIfRootVolumeIsLVM",
          `The root filesystem of ${instanceId} is on LVM (a logical volume, with /boot on a partition of its own). FullMigration is not supported with LVM root volumes: the runbook replaces the root volume of the instance and cannot carry an LVM root. Move the root onto a plain partition, or migrate by hand: install ENA and NVMe in the initramfs, then change the instance type.`,
        )
      : pass("checkIfRootVolumeIsLVM", "The root filesystem is on a plain partition."),
    facts.virtualizationType === "hvm"
      ? pass("checkIfInstanceIsHVM", "HVM.")
      : fail(
          "checkIfInstanceIsHVM",
          `The instance ${instanceId} is paravirtual (PV); Nitro types run HVM guests only. Convert its image to HVM first (StartImageConversion, mini-ec2 convert-image), launch the HVM image on a Xen type, and migrate that instance.`,
        ),
    target.zones.includes(facts.availabilityZone)
      ? pass("checkIfNitroInstanceTypeIsSupportedInAZ", `${target.name} is offered in ${facts.availabilityZone}.`)
      : fail(
          "checkIfNitroInstanceTypeIsSupportedInAZ",
          `The instance type ${target.name} is not supported in the Availability Zone ${facts.availabilityZone} of ${instanceId}${target.zones.length ? ` (it is offered in ${target.zones.join(", ")})` : ""}. Choose a Nitro type this zone offers (DescribeInstanceTypeOfferings --location-type availability-zone).`,
        ),
    target.hypervisor === "nitro" && target.architectures.includes(facts.architecture)
      ? pass("checkIfTargetInstanceTypeIsNitro", `${target.name} is a Nitro type for ${facts.architecture}.`)
      : fail(
          "checkIfTargetInstanceTypeIsNitro",
          target.hypervisor !== "nitro"
            ? `The target instance type ${target.name} is not a virtualized Nitro type. The runbook supports Nitro types such as M5, M6, C5, C6, R5, R6 and T3.`
            : `The target instance type ${target.name} runs ${target.architectures.join(", ")}, and ${instanceId} is ${facts.architecture}. Choose a Nitro type for ${facts.architecture}, such as m5.large.`,
        ),
  ];
}

/** What the checker script reports of the guest: the clone's preparation repairs each of these. */
export function guestReadiness(guest: GuestModel | undefined): CheckResult[] {
  if (!guest || guest.os.family !== "linux") return [];
  const report = (name: string, ready: boolean, passed: string, repair: string): CheckResult => ({
    name,
    outcome: ready ? "passed" : "repair",
    detail: ready ? passed : repair,
  });
  const nvme = nvmeRootProblem(guest);
  const naming = networkNamingOf(guest);
  return [
    report(
      "ena-driver",
      guest.kernel.drivers.ena,
      "modinfo ena: the ENA driver is installed.",
      "The ENA driver is missing: the migration installs it (install-ena-driver).",
    ),
    report(
      "nvme-in-initramfs",
      nvme === undefined,
      "The nvme module is in the initramfs.",
      nvme === "no-nvme-driver"
        ? "The kernel has no nvme driver: the migration adds it to the initramfs (add-nvme-to-initramfs)."
        : "The nvme module is not in the initramfs: the migration adds it (add-nvme-to-initramfs).",
    ),
    report(
      "fstab-device-names",
      !fstabNamesXenDevice(guest),
      `/etc/fstab names the root as ${guest.fstabRoot}.`,
      `/etc/fstab names the root by device (${guest.fstabRoot}), which Nitro renames /dev/nvme0n1p1: the migration rewrites it to UUID= (fstab-by-uuid).`,
    ),
    report(
      "predictable-interface-names",
      naming.interfaceNames === "classic" && !naming.persistentNetRules,
      "Classic interface names (eth0).",
      "Predictable interface names or 70-persistent-net.rules would rename eth0: the migration turns them off (disable-predictable-interface-names).",
    ),
  ];
}

/** The first failed check's reason: the run ends with it. */
export function firstFailure(checks: readonly CheckResult[]): CheckResult | undefined {
  return checks.find((check) => check.outcome === "failed");
}

/** The clone's preparation, in the runbook's order: each a repair applied to the clone's root volume. */
export const cloneRepairs: ReadonlyArray<{ step: string; repair: GuestRepairName }> = [
  { step: "install-ena-driver", repair: "install-ena-driver" },
  { step: "add-nvme-to-initramfs", repair: "add-nvme-to-initramfs" },
  { step: "fstab-by-uuid", repair: "fstab-by-uuid" },
  { step: "disable-predictable-interface-names", repair: "disable-predictable-interface-names" },
];

/** The steps, in order, with what each does (DescribeNitroMigrations lists them all, done or not). */
export const nitroMigrationSteps = [
  {
    name: "preliminary-checks",
    does: "checking the instance and the target type as the runbook does (Nitro already, Spot, instance store, Linux, EBS root, LVM, zone)",
  },
  { name: "create-clone-image", does: "creating an AMI of the instance (CreateImage) to clone it from" },
  { name: "launch-clone", does: "launching the clone from that AMI on the instance's type, in its zone" },
  { name: "install-ena-driver", does: "installing or updating the ENA driver on the clone" },
  { name: "add-nvme-to-initramfs", does: "adding the nvme module to the clone's initramfs" },
  { name: "fstab-by-uuid", does: "replacing /dev/sd* and /dev/xvd* entries in the clone's /etc/fstab with UUIDs" },
  { name: "disable-predictable-interface-names", does: "adding net.ifnames=0 and removing 70-persistent-net.rules on the clone" },
  { name: "stop-clone", does: "stopping the clone" },
  { name: "set-nitro-instance-type", does: "changing the clone's instance type to the Nitro type (ModifyInstanceAttribute)" },
  { name: "enable-ena-support", does: "turning on the clone's EnaSupport attribute" },
  { name: "start-clone", does: "starting the clone on the Nitro type" },
  { name: "wait-for-status-checks", does: "waiting for the clone's status checks" },
  { name: "create-golden-ami", does: "creating the golden AMI of the migrated clone (CreateImage)" },
] as const;

/** CheckOnly runs the checks alone. */
export function plannedMigrationSteps(input: Pick<NitroMigrationInput, "operationType">): ReadonlyArray<(typeof nitroMigrationSteps)[number]> {
  return input.operationType === "CheckOnly" ? nitroMigrationSteps.slice(0, 1) : nitroMigrationSteps;
}

/** One line for StatusMessage: the step under way, the result, or why the run ended. */
export function migrationStatusMessage(
  run: { state: RunState; failureReason?: string; output?: unknown; input: NitroMigrationInput },
  steps: ReadonlyArray<{ name: string; state: string }>,
): string {
  const output = run.output as { goldenImageId?: string; cloneInstanceId?: string } | undefined;
  if (run.state === "succeeded") {
    return run.input.operationType === "CheckOnly"
      ? "Every preliminary check passed."
      : `Migrated: the clone ${output?.cloneInstanceId} runs on ${run.input.targetInstanceType}; ${output?.goldenImageId} is the golden AMI.`;
  }
  if (run.state === "failed" || run.state === "cancelled") return run.failureReason ?? run.state;
  if (run.state === "compensating") return `Removing the clone and its AMI after: ${run.failureReason ?? "a cancel request"}`;
  const index = steps.findIndex((step) => step.state !== "succeeded");
  if (index < 0) return "Finishing.";
  const does = nitroMigrationSteps.find((step) => step.name === steps[index]!.name)?.does ?? steps[index]!.name;
  return `Step ${index + 1} of ${steps.length} (${steps[index]!.name}): ${does}.`;
}
