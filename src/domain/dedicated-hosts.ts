// Dedicated Hosts: the record, and how much of each instance type fits on one, as AWS counts it (facts §4): the
// host's physical cores divided by the cores an instance of the type takes, with the exceptions of host-families.ts.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { Errors } from "./errors.js";
import { familyOf, footprintOf } from "./fleet.js";
import { hostSizeCap, hostUnitsOf } from "./host-families.js";
import type { Tag } from "./tags.js";

/** EC2's AllocationState: a failed or degraded host leaves `available` (dedicated-host-life.ts). */
export type HostState = "available" | "pending" | "under-assessment" | "permanent-failure" | "released" | "released-permanent-failure";

export interface DedicatedHost {
  hostId: string;
  accountId: string;
  region: string;
  availabilityZone: string;
  serverId: string;
  instanceType?: string;
  instanceFamily?: string;
  autoPlacement: "on" | "off";
  hostRecovery: "on" | "off";
  hostMaintenance: "on" | "off";
  state: HostState;
  /** The host that took this one's instances when it failed or was maintained (dedicated-host-life.ts). */
  replacementHostId?: string;
  allocatedAt: Date;
  releasedAt?: Date;
  clientToken?: string;
  tags: Tag[];
}

/** Families whose hosts take several sizes at once (User Guide, "Dedicated Hosts"). */
export const multiSizeFamilies = new Set(["a1", "c5", "m5", "r5", "c5n", "m5n", "r5n", "t3"]);

export function checkAllocation(
  input: { instanceType?: string; instanceFamily?: string; quantity?: number; availabilityZone?: string },
  type: InstanceTypeInfo | undefined,
): void {
  if (input.instanceType && input.instanceFamily)
    throw Errors.invalidParameterCombination("You cannot specify InstanceFamily and InstanceType in the same request.");
  if (!input.instanceType && !input.instanceFamily) throw Errors.missingParameter("InstanceType or InstanceFamily");
  if (!input.availabilityZone) throw Errors.missingParameter("AvailabilityZone");
  if (input.quantity === undefined) throw Errors.missingParameter("Quantity");
  if (input.quantity < 1) throw Errors.invalidParameterValue(`Value (${input.quantity}) for parameter quantity is invalid. Expecting a value greater than 0.`);
  if (input.instanceType && !type) throw Errors.invalidParameterValue(`Invalid value '${input.instanceType}' for InstanceType.`);
  if (type && !type.DedicatedHostsSupported) {
    throw Errors.invalidParameterValue(
      `Dedicated Hosts do not support the ${type.InstanceType} instance type. Find types that do with describe-instance-types --filters Name=dedicated-hosts-supported,Values=true.`,
    );
  }
  if (input.instanceFamily && !multiSizeFamilies.has(input.instanceFamily)) {
    throw Errors.invalidParameterValue(
      `Instance family ${input.instanceFamily} does not support multiple instance sizes on one host. Families that do: ${[...multiSizeFamilies].join(", ")}. Allocate with --instance-type instead.`,
    );
  }
}

/** The family of hardware a host is: what its type or family names. ModifyHosts may change the type within it. */
export function hostFamily(host: Pick<DedicatedHost, "instanceType" | "instanceFamily">): string {
  return host.instanceFamily ?? familyOf(host.instanceType!);
}

/**
 * How many instances of `type` the host holds when empty, and how many more fit now: AWS counts cores (in host
 * units, host-families.ts) and caps some sizes; memory binds too where a host's memory runs out first, so each
 * is the smallest of the counts.
 */
export function slotsFor(
  type: InstanceTypeInfo,
  host: { units: number; freeUnits: number; memoryMiB: number; freeMemoryMiB: number; sameSizeRunning: number },
): { total: number; available: number } {
  const units = hostUnitsOf(type);
  const { memoryMiB } = footprintOf(type);
  const cap = hostSizeCap(type) ?? Number.POSITIVE_INFINITY;
  const fit = (haveUnits: number, haveMemoryMiB: number) =>
    Math.min(Math.floor(haveUnits / units), memoryMiB > 0 ? Math.floor(haveMemoryMiB / memoryMiB) : Number.POSITIVE_INFINITY);
  return {
    total: Math.min(fit(host.units, host.memoryMiB), cap),
    available: Math.max(0, Math.min(fit(host.freeUnits, host.freeMemoryMiB), cap - host.sameSizeRunning)),
  };
}

/**
 * The types a host runs: its one type, or every virtualized size of its family that runs on Dedicated Hosts and
 * fits the host (a .metal size is a host of its own; DedicatedHostsSupported=false sizes are never offered).
 */
export function typesOnHost(
  host: Pick<DedicatedHost, "instanceType" | "instanceFamily">,
  catalog: readonly InstanceTypeInfo[],
  hostUnits: number,
): InstanceTypeInfo[] {
  if (host.instanceType) return catalog.filter((type) => type.InstanceType === host.instanceType);
  return catalog.filter(
    (type) =>
      familyOf(type.InstanceType!) === host.instanceFamily && !type.BareMetal && type.DedicatedHostsSupported === true && hostUnitsOf(type) <= hostUnits,
  );
}
