// Who can live-migrate, and why not: one rule per fact, each with a stable id, the error MigrateInstance answers,
// what a learner should understand, and the fix, as the launch rules (launch-rules.ts) are written. A guest no rule
// refuses moves live (MigrateInstance, a server's maintenance); the others get a scheduled event instead.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { enaSupportOf, offersIntelSriov, usesEna } from "./catalog/type-facts.js";
import { type Ec2Error, Errors } from "./errors.js";
import type { Instance, InstanceStateName } from "./instances.js";

export interface MigrationContext {
  instance: Pick<Instance, "instanceId" | "instanceType" | "hypervisor" | "tenancy" | "hostId" | "enaSupport" | "sriovNetSupport">;
  state: InstanceStateName;
  type: InstanceTypeInfo;
  /** The instance's migration under way, if any. */
  migrationInProgress?: string;
  /** The replacement Dedicated Host the instance's host hands its instances to (host maintenance), if any. */
  replacementHostId?: string;
  /** Whether a destination server was found; absent until the store has looked (the rules before it must pass first). */
  destination?: "found" | "none";
  availabilityZone: string;
}

export interface MigrationVerdict {
  ruleId: string;
  outcome: "passed" | "failed" | "skipped";
  reason: string;
  fix?: string;
  error?: Ec2Error;
}

interface MigrationRule {
  id: string;
  /** Why the rule exists: what a learner should take away. */
  explanation: string;
  check(context: MigrationContext): Omit<MigrationVerdict, "ruleId">;
}

const pass = (reason: string) => ({ outcome: "passed" as const, reason });
const skip = (reason: string) => ({ outcome: "skipped" as const, reason });
const fail = (reason: string, error: Ec2Error, fix: string) => ({ outcome: "failed" as const, reason, error, fix });

/** The SR-IOV virtual function a Xen guest networks through, if any: Intel 82599 (ixgbevf) or ENA. */
function xenVirtualFunction(context: MigrationContext): string | undefined {
  if (context.instance.hypervisor !== "xen") return undefined;
  if (usesEna(context.instance.enaSupport, enaSupportOf(context.type))) return "ENA";
  if (context.instance.sriovNetSupport === "simple" && offersIntelSriov(context.type)) return "Intel 82599 VF";
  return undefined;
}

export const migrationRules: readonly MigrationRule[] = [
  {
    id: "instance-running",
    explanation: "Only a running guest has memory to copy and a server to leave; a stopped one gets a new server at its next start.",
    check: (c) =>
      c.state === "running"
        ? pass("The instance is running.")
        : fail(
            `The instance is ${c.state}.`,
            Errors.incorrectInstanceState(c.instance.instanceId, c.state, "migrated"),
            "Migrate a running instance; wait for pending to end, or start a stopped one.",
          ),
  },
  {
    id: "one-migration-at-a-time",
    explanation: "A guest's memory is copied to one destination at a time; a second copy would race the first for the switchover.",
    check: (c) =>
      c.migrationInProgress
        ? fail(
            `Migration ${c.migrationInProgress} is under way.`,
            Errors.migrationInProgress(c.instance.instanceId, c.migrationInProgress),
            "Wait for it to complete (DescribeInstanceMigrations; AdvanceClock moves the virtual clock).",
          )
        : pass("No migration of the instance is under way."),
  },
  {
    id: "bare-metal-cannot-move",
    explanation: "A bare-metal instance is the server: no hypervisor runs under it to pause it, track its dirty pages or resume it elsewhere.",
    check: (c) =>
      c.type.BareMetal === true
        ? fail(
            `${c.instance.instanceType} is bare metal.`,
            Errors.bareMetalCannotMove(c.instance.instanceId, c.instance.instanceType),
            "Stop and start the instance to move it; plan for the reboot.",
          )
        : pass(`${c.instance.instanceType} runs under a hypervisor.`),
  },
  {
    id: "dedicated-host-affinity",
    explanation: "An instance on a Dedicated Host stays on that host, and a host is one physical server.",
    check: (c) =>
      c.instance.tenancy === "host" && c.replacementHostId
        ? pass(`The instance's host is maintained: it moves to the replacement host ${c.replacementHostId}.`)
        : c.instance.tenancy === "host"
          ? fail(
              `The instance runs on Dedicated Host ${c.instance.hostId}.`,
              Errors.dedicatedHostPinsInstance(c.instance.instanceId, c.instance.hostId ?? "(unknown)"),
              "Stop it and start it on another host of yours, or relaunch it with default tenancy.",
            )
          : pass("The instance runs on shared servers."),
  },
  {
    id: "no-instance-store",
    explanation:
      "Instance-store volumes are disks inside the source server: live migration copies memory, not local disks, so their data would be left behind.",
    check: (c) =>
      c.type.InstanceStorageSupported === true
        ? fail(
            `${c.instance.instanceType} has ${c.type.InstanceStorageInfo?.TotalSizeInGB ?? "some"} GB of instance store.`,
            Errors.instanceStoreBlocksMigration(c.instance.instanceId, c.instance.instanceType),
            "Use an EBS-only type (m5 rather than m5d) for guests that must move live; an instance-store guest gets a scheduled event.",
          )
        : pass(`${c.instance.instanceType} has EBS storage only.`),
  },
  {
    id: "no-gpu-passthrough",
    explanation: "GPUs are passed through to the guest whole: their memory and state live in the device, out of the hypervisor's reach.",
    check: (c) => {
      const gpus = c.type.GpuInfo?.Gpus ?? [];
      return gpus.length > 0
        ? fail(
            `${c.instance.instanceType} has ${gpus.map((g) => `${g.Count ?? 1} ${g.Manufacturer ?? ""} ${g.Name ?? "GPU"}`.replace(/\s+/g, " ")).join(", ")} passed through.`,
            Errors.gpuPassthroughBlocksMigration(c.instance.instanceId, c.instance.instanceType),
            "Checkpoint the GPU work and let the instance take its scheduled event, or stop and start it.",
          )
        : pass(`${c.instance.instanceType} has no GPU.`);
    },
  },
  {
    id: "no-sriov-vf-on-xen",
    explanation:
      "On Xen, enhanced networking hands the guest a virtual function of the server's NIC (SR-IOV); its state is in that NIC, so Xen cannot move the guest. Nitro moves the ENA with the guest.",
    check: (c) => {
      if (c.instance.hypervisor !== "xen") return skip("The instance runs on Nitro, which migrates its network device.");
      const device = xenVirtualFunction(c);
      return device
        ? fail(
            `The instance networks through an ${device} virtual function of its Xen server.`,
            Errors.sriovBlocksMigrationOnXen(c.instance.instanceId, device),
            "Only Xen guests on the paravirtual network (xen-netfront) move live; move to a Nitro type to keep enhanced networking and live migration.",
          )
        : pass("The instance uses Xen's paravirtual network device.");
    },
  },
  {
    id: "destination-with-room",
    explanation:
      "The guest resumes on another server of the same hypervisor that serves its type's family, in its zone, with room for it, where its placement group allows (spread: not beside the group; partition: not in another partition's servers).",
    check: (c) => {
      if (c.destination === undefined) return skip("Not looked for yet.");
      return c.destination === "found"
        ? pass("A destination server has room.")
        : fail(
            `No other server in ${c.availabilityZone} can take it.`,
            Errors.noMigrationDestination(c.instance.instanceId, c.instance.instanceType, c.availabilityZone),
            "Free capacity in the zone (stop or terminate instances), or retry later.",
          );
    },
  },
];

export function judgeMigration(context: MigrationContext): MigrationVerdict[] {
  return migrationRules.map((rule) => ({ ruleId: rule.id, ...rule.check(context) }));
}

/** Throws the first failing rule's error. */
export function enforceMigration(context: MigrationContext): void {
  const failed = judgeMigration(context).find((verdict) => verdict.outcome === "failed");
  if (failed?.error) throw failed.error;
}

/** Whether the instance could move live, destination aside: a server's maintenance migrates these and schedules events for the rest. */
export function movableLive(context: Omit<MigrationContext, "destination">): boolean {
  return judgeMigration(context).every((verdict) => verdict.outcome !== "failed");
}
