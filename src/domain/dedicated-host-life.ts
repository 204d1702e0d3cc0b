// Host recovery and host maintenance of Dedicated Hosts, as the User Guide describes them (dedicated-hosts-recovery,
// dedicated-hosts-maintenance and dedicated-hosts-maintenance-basics): which hosts support host maintenance, the
// replacement host EC2 allocates, and what happens to each instance of a failed or degraded host. Pure.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { DedicatedHost, HostState } from "./dedicated-hosts.js";
import { Errors } from "./errors.js";

/**
 * "Host maintenance is supported for the following instance families" (User Guide, 2023 and current pages, merged;
 * the current page's list was read only in part: docs/decisions.md).
 */
export const hostMaintenanceFamilies: ReadonlySet<string> = new Set([
  ...["a1", "m4", "m5", "m5a", "m5n", "m5zn", "m6a", "m6g", "m6i", "m6in", "m7a", "m7g", "m7i", "t3"],
  ...["c4", "c5", "c5a", "c5n", "c6a", "c6g", "c6gn", "c6i", "c6in", "c7g", "c7gn", "c7i"],
  ...["r4", "r5", "r5a", "r5b", "r5n", "r6a", "r6g", "r6i", "r6in", "r7a", "r7g", "r7iz", "x2iezn"],
  ...["u-3tb1", "u-6tb1", "u-9tb1", "u-12tb1", "u-18tb1", "u-24tb1", "inf1", "g3", "g5g", "p2", "p3"],
]);

/**
 * AllocateHosts' HostMaintenance: asked for, or on where the family supports it ("Host maintenance is supported on
 * all new Dedicated Host allocations"; the API's default is unstated, docs/decisions.md). On for a family without
 * it is refused.
 */
export function hostMaintenanceFor(family: string, asked: string | undefined): "on" | "off" {
  const supported = hostMaintenanceFamilies.has(family);
  if (asked === "on" && !supported) throw Errors.hostMaintenanceUnsupported(family, [...hostMaintenanceFamilies].join(", "));
  return (asked as "on" | "off" | undefined) ?? (supported ? "on" : "off");
}

/**
 * The replacement host: a new id, "the same attributes as the original Dedicated Host" (zone, instance type or
 * family, tags, auto-placement, host recovery and host maintenance settings), on another server.
 */
export function replacementHost(failed: DedicatedHost, hostId: string, serverId: string, now: Date): DedicatedHost {
  const { releasedAt: _released, replacementHostId: _replacement, clientToken: _token, ...attributes } = failed;
  return { ...attributes, hostId, serverId, state: "available", allocatedAt: now };
}

/**
 * Whether host recovery restarts the instance on the replacement host: "Instances with instance storage are not
 * recovered" (and stopped ones are not: only running guests are asked about). Bare metal fills its host whole and
 * has no hypervisor state to restart elsewhere; it is left to the retirement notice too (a choice).
 */
export function hostRecoverable(type: InstanceTypeInfo): boolean {
  return type.InstanceStorageSupported !== true;
}

/**
 * The failed or degraded host's state once its instances were dealt with: released for good when none is left on
 * it, else marked for retirement ("the Dedicated Host is not released ... it enters the permanent-failure state").
 */
export function stateAfterEviction(instancesLeft: number): HostState {
  return instancesLeft === 0 ? "released-permanent-failure" : "permanent-failure";
}

/** "If you disable host maintenance ... manually migrate your instances to another host within 28 days." */
export const evictionNoticeMs = 28 * 24 * 3600_000;
