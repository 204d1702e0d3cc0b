// Instances: the record, and the lifecycle as EC2 runs it. The stored state is the last one asked for; the
// transitional ones (pending, stopping, shutting-down) end on the clock at transitionEndsAt, so the state a
// caller sees is derived here and never written by a background job.
import type { GuestModel } from "./guest.js";
import type { InstanceInterface } from "./instance-network.js";
import type { BlockDeviceMapping } from "./images.js";
import { Errors } from "./errors.js";
import type { InstanceOptions } from "./instance-options.js";
import { kmsKeyArn } from "./kms-keys.js";
import type { Tag } from "./tags.js";
import { type InstanceVolume, resolveVolumeSpec, type Volume, type VolumeSpec, type VolumeType } from "./volumes.js";

export type InstanceStateName = "pending" | "running" | "shutting-down" | "terminated" | "stopping" | "stopped";

export const stateCodes: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/** Where each transitional state ends. */
const settlesInto: Partial<Record<InstanceStateName, InstanceStateName>> = {
  pending: "running",
  stopping: "stopped",
  "shutting-down": "terminated",
};

export interface InstanceBlockDevice {
  DeviceName: string;
  Ebs: {
    VolumeId: string;
    Status: "attaching" | "attached" | "detaching";
    AttachTime: Date;
    DeleteOnTermination: boolean;
    SnapshotId?: string;
    VolumeSize: number;
    VolumeType: string;
  };
}

export interface Instance {
  instanceId: string;
  accountId: string;
  region: string;
  reservationId: string;
  clientToken?: string;
  imageId: string;
  instanceType: string;
  availabilityZone: string;
  /** The simulated server it runs on; none while stopped. */
  serverId?: string;
  hypervisor: "xen" | "nitro" | "none";
  tenancy: "default" | "dedicated" | "host";
  hostId?: string;
  affinity?: "default" | "host";
  placementGroupId?: string;
  placementGroupName?: string;
  partitionNumber?: number;
  kernelId?: string;
  ramdiskId?: string;
  architecture: string;
  virtualizationType: "paravirtual" | "hvm";
  platform?: "windows";
  rootDeviceName: string;
  /** The devices as launched (RunInstances' answer); once stored, `volumes` is what the instance reports. */
  blockDeviceMappings: InstanceBlockDevice[];
  /** The volumes attached to it (or attaching, or detaching), read with the instance: AttachVolume and
   * DetachVolume change only the VolumeAttachment table, so the devices are derived from it (blockDevicesAt). */
  volumes?: InstanceVolume[];
  enaSupport: boolean;
  sriovNetSupport?: "simple";
  bootMode: "legacy-bios" | "uefi";
  keyName?: string;
  userData?: string;
  disableApiTermination: boolean;
  launchIndex: number;
  launchTime: Date;
  state: InstanceStateName;
  stateChangedAt: Date;
  transitionEndsAt: Date;
  stateReason?: string;
  /** When the guest last booted without a start (recovered onto another server); a live migration is no boot. */
  bootedAt?: Date;
  privateIpAddress: string;
  /** The VPC and subnet of the primary interface (absent for instances stored before networking). */
  vpcId?: string;
  subnetId?: string;
  /** Its network interfaces, read with the instance (store/instance-network-repo.ts); none once terminated. */
  interfaces?: InstanceInterface[];
  /** The Spot request the instance fulfils (docs/spot.md): a Spot Instance's InstanceLifecycle is spot. */
  spotInstanceRequestId?: string;
  /** What RunInstances set beyond the above (metadata, shutdown behaviour, monitoring, ...), as EC2 shows it. */
  options: InstanceOptions;
  tags: Tag[];
}

/** The instance's primary interface (device 0 of card 0), when it has its interfaces read. */
export function primaryInterfaceOf(instance: Pick<Instance, "interfaces">): InstanceInterface | undefined {
  return instance.interfaces?.find(isPrimaryAttachment);
}

/** Whether the interface is attached as its instance's primary: device 0 of network card 0. */
export function isPrimaryAttachment(eni: { attachment?: { deviceIndex: number; networkCardIndex?: number } }): boolean {
  return eni.attachment?.deviceIndex === 0 && (eni.attachment.networkCardIndex ?? 0) === 0;
}

/** Literal (wildcard-free) filter values that narrow what DescribeInstances reads; the exact filters still run after. */
export interface InstancePrefilter {
  instanceIds?: string[];
  instanceTypes?: string[];
  imageIds?: string[];
  availabilityZones?: string[];
  reservationIds?: string[];
  vpcIds?: string[];
  subnetIds?: string[];
  privateIpAddresses?: string[];
  keyNames?: string[];
  clientTokens?: string[];
  /** Stored states (storedStatesShowing): the shown state follows from the stored one and the clock. */
  states?: string[];
  /** Literal tag conditions: the key, and values when the filter was tag:K. */
  tags?: Array<{ key: string; values?: string[] }>;
}

/** StateTransitionReason: a Spot interruption is "Service initiated (<when> GMT)", anything else its stored reason. */
export function stateTransitionReason(instance: Pick<Instance, "stateReason" | "stateChangedAt">): string {
  return instance.stateReason?.startsWith("Server.Spot")
    ? `Service initiated (${instance.stateChangedAt.toISOString().replace("T", " ").slice(0, 19)} GMT)`
    : (instance.stateReason ?? "");
}

/**
 * StateReason, shown while the instance stops or ends and after: its owner, or EC2 taking a Spot Instance back
 * (Server.SpotInstanceTermination, Server.SpotInstanceShutdown). A pending or running instance has none.
 */
export function stateReasonOf(instance: Pick<Instance, "stateReason">, state: InstanceStateName): { Code: string; Message: string } | undefined {
  if (state !== "stopped" && state !== "terminated" && state !== "stopping" && state !== "shutting-down") return undefined;
  if (instance.stateReason === "Server.SpotInstanceTermination" || instance.stateReason === "Server.SpotInstanceShutdown") {
    const what = instance.stateReason === "Server.SpotInstanceTermination" ? "Spot instance termination" : "Spot instance shutdown";
    return { Code: instance.stateReason, Message: `${instance.stateReason}: ${what}` };
  }
  return { Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" };
}

/** What decides an instance's state now and the public address its launch gave it. */
export type InstanceLifecycle = Pick<Instance, "instanceId" | "state" | "stateChangedAt" | "transitionEndsAt"> & { publicIpOnLaunch: boolean };

/** Terminated instances stay visible this long, as in EC2. */
export const terminatedVisibleMs = 60 * 60 * 1000;

export function currentState(instance: Pick<Instance, "state" | "transitionEndsAt">, now: Date): InstanceStateName {
  const next = settlesInto[instance.state];
  return next && now.getTime() >= instance.transitionEndsAt.getTime() ? next : instance.state;
}

/**
 * The stored states an instance can be in while it shows one of `shown` (a stored pending instance shows running once
 * its transition ends): what a query of the stored column must match for instance-state-name, before the exact test.
 */
export function storedStatesShowing(shown: readonly string[]): InstanceStateName[] {
  const stored = Object.keys(stateCodes) as InstanceStateName[];
  return stored.filter((state) => shown.includes(state) || shown.includes(settlesInto[state] ?? ""));
}

export function isVisible(instance: Pick<Instance, "state" | "transitionEndsAt">, now: Date): boolean {
  return currentState(instance, now) !== "terminated" || now.getTime() < instance.transitionEndsAt.getTime() + terminatedVisibleMs;
}

/** Whether the instance holds capacity on its server (released at stop and terminate). */
export function holdsCapacity(state: InstanceStateName): boolean {
  return state === "pending" || state === "running";
}

export interface Transition {
  state: InstanceStateName;
  durationMs: number;
  reason: string;
}

export type Command = "start" | "stop" | "terminate" | "reboot";

/**
 * What a command does to an instance in `state`: a transition, "no-op" (EC2 answers with the state unchanged), or
 * EC2's IncorrectInstanceState error.
 */
export function transitionFor(
  command: Command,
  instanceId: string,
  state: InstanceStateName,
  durations: Record<"pending" | "stopping" | "shutting-down", number>,
  now: Date,
  force = false,
): Transition | "no-op" {
  const reason = `User initiated (${now.toISOString().replace("T", " ").slice(0, 19)} GMT)`;
  switch (command) {
    case "start":
      if (state === "stopped") return { state: "pending", durationMs: durations.pending, reason };
      if (state === "pending" || state === "running") return "no-op";
      throw Errors.incorrectInstanceState(instanceId, state, "started");
    case "stop":
      if (state === "running") return { state: "stopping", durationMs: force ? durations.stopping / 10 : durations.stopping, reason };
      if (state === "stopping" && force) return { state: "stopping", durationMs: 0, reason };
      if (state === "stopping" || state === "stopped") return "no-op";
      if (state === "pending") throw Errors.neverRunning(instanceId);
      throw Errors.incorrectInstanceState(instanceId, state, "stopped");
    case "terminate":
      if (state === "terminated" || state === "shutting-down") return "no-op";
      return { state: "shutting-down", durationMs: durations["shutting-down"], reason };
    case "reboot":
      if (state === "running") return "no-op";
      throw Errors.incorrectInstanceState(instanceId, state, "rebooted");
  }
}

/** EC2's private addresses are in the default VPC's 172.31.0.0/16: derived from the id so it is stable. */
export function privateAddressFor(instanceId: string): string {
  const n = Number.parseInt(instanceId.slice(-6), 16);
  return `172.31.${(n >> 8) & 0xff}.${Math.max(4, n & 0xff)}`;
}

/** What one EBS device of a launch becomes: its volume's type, size and performance, its encryption, its guest. */
export interface LaunchDevice {
  deviceName: string;
  snapshotId?: string;
  deleteOnTermination: boolean;
  spec: VolumeSpec;
  encrypted: boolean;
  kmsKeyId?: string;
  guest?: GuestModel;
}

/**
 * Checks and settles every EBS mapping of a launch before anything is placed: the volume rules are CreateVolume's
 * (sizes, IOPS and throughput per type). A volume made from an encrypted snapshot is encrypted; a blank one is
 * when the mapping asks or the account encrypts by default.
 */
export function launchDevices(
  mappings: readonly BlockDeviceMapping[],
  snapshots: ReadonlyMap<string, { encrypted: boolean; guest?: GuestModel }>,
  scope: { accountId: string; region: string },
  /** The account's EBS encryption by default: every volume encrypted. */
  encryptByDefault = false,
): LaunchDevice[] {
  return mappings.flatMap((mapping) => {
    if (!mapping.Ebs || mapping.NoDevice) return [];
    const { SnapshotId: snapshotId } = mapping.Ebs;
    const snapshot = snapshotId ? snapshots.get(snapshotId) : undefined;
    const spec = resolveVolumeSpec({
      volumeType: (mapping.Ebs.VolumeType ?? "gp2") as VolumeType,
      size: mapping.Ebs.VolumeSize ?? 8,
      iops: mapping.Ebs.Iops,
      throughput: mapping.Ebs.Throughput,
    });
    const kmsKeyId = kmsKeyArn(mapping.Ebs.KmsKeyId, mapping.Ebs.Encrypted, scope);
    return [
      {
        deviceName: mapping.DeviceName,
        ...(snapshotId ? { snapshotId } : {}),
        deleteOnTermination: mapping.Ebs.DeleteOnTermination ?? true,
        spec,
        encrypted: (snapshot?.encrypted ?? false) || mapping.Ebs.Encrypted === true || encryptByDefault,
        ...(kmsKeyId ? { kmsKeyId } : {}),
        ...(snapshot?.guest ? { guest: snapshot.guest } : {}),
      },
    ];
  });
}

/** The block devices an instance starts with, one per device of its launch, each a new volume. */
export function rootVolumeMappings(devices: readonly LaunchDevice[], newVolumeId: () => string, now: Date): InstanceBlockDevice[] {
  return devices.map((device) => ({
    DeviceName: device.deviceName,
    Ebs: {
      VolumeId: newVolumeId(),
      Status: "attached" as const,
      AttachTime: now,
      DeleteOnTermination: device.deleteOnTermination,
      ...(device.snapshotId ? { SnapshotId: device.snapshotId } : {}),
      VolumeSize: device.spec.size,
      VolumeType: device.spec.volumeType,
    },
  }));
}

/**
 * The EBS volumes an instance's block devices are: each a copy of its snapshot (carrying the snapshot's guest, so
 * the root volume boots what the image booted) or a blank disk, attached from the launch on.
 */
export function volumesOf(instance: Instance, devices: readonly LaunchDevice[], tags: Tag[], attachMs: number): Volume[] {
  return instance.blockDeviceMappings.map((device) => {
    const launch = devices.find((d) => d.deviceName === device.DeviceName)!;
    return {
      volumeId: device.Ebs.VolumeId,
      accountId: instance.accountId,
      region: instance.region,
      availabilityZone: instance.availabilityZone,
      ...launch.spec,
      encrypted: launch.encrypted,
      ...(launch.kmsKeyId ? { kmsKeyId: launch.kmsKeyId } : {}),
      ...(device.Ebs.SnapshotId ? { snapshotId: device.Ebs.SnapshotId } : {}),
      ...(launch.guest ? { guest: launch.guest } : {}),
      createdAt: instance.launchTime,
      availableAt: instance.launchTime,
      // RunInstances takes no MultiAttachEnabled: a launch's volumes are single-attach.
      multiAttachEnabled: false,
      attachments: [
        {
          instanceId: instance.instanceId,
          device: device.DeviceName,
          attachTime: instance.launchTime,
          attachedAt: new Date(instance.launchTime.getTime() + attachMs),
          deleteOnTermination: device.Ebs.DeleteOnTermination,
        },
      ],
      tags,
    };
  });
}

/** When the guest's console was last written: its latest boot, by a start (or reboot) or by a recovery. */
export function lastBootAt(instance: Pick<Instance, "transitionEndsAt" | "bootedAt">): Date {
  return instance.bootedAt && instance.bootedAt > instance.transitionEndsAt ? instance.bootedAt : instance.transitionEndsAt;
}
