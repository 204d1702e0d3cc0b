// AttachVolume and DetachVolume's rules: which device names an instance takes (by virtualization type, from the
// User Guide's device naming page), which states allow an attach or a detach, and the block device list an
// instance reports, derived from the volumes attached to it on the clock.
import { Errors } from "./errors.js";
import type { InstanceBlockDevice, InstanceStateName } from "./instances.js";
import { attachmentState, type InstanceVolume, isLive, type Volume } from "./volumes.js";

/**
 * PV: /dev/sd[a-z] and /dev/xvd[a-z], with or without a partition number 1-15 (the root is /dev/sda1 or /dev/sda).
 * HVM: /dev/sd[b-z] and /dev/xvd[b-z] (and xvd[b-c][a-z]), no trailing numbers but the roots /dev/sda1 and /dev/sda2.
 */
const pvDevice = /^\/dev\/(sd|xvd|hd)[a-z]([1-9]|1[0-5])?$/;
const hvmDevice = /^\/dev\/(sd[b-z]|xvd[b-z]|xvd[b-c][a-z]|sda1|sda2|xvda)$/;

export function checkDeviceName(device: string, virtualizationType: "paravirtual" | "hvm"): void {
  const valid = (virtualizationType === "paravirtual" ? pvDevice : hvmDevice).test(device);
  if (!valid) {
    throw Errors.invalidParameterValue(
      `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name. ` +
        (virtualizationType === "paravirtual"
          ? "Use /dev/sdf to /dev/sdp (a paravirtual instance)."
          : "Use /dev/sdf to /dev/sdp or /dev/xvdf to /dev/xvdp (an HVM instance)."),
    );
  }
}

/** Two names for one slot: /dev/sdf and /dev/xvdf are the same device to the guest. */
export function sameSlot(a: string, b: string): boolean {
  const slot = (name: string) => name.replace(/^\/dev\/(sd|xvd|hd)/, "");
  return slot(a) === slot(b);
}

/** An attach needs the instance running or stopped; pending, stopping and the rest are EC2's IncorrectState. */
export function checkAttachState(instanceId: string, state: InstanceStateName): void {
  if (state !== "running" && state !== "stopped") {
    throw Errors.incorrectState(`Instance '${instanceId}' is not 'running' or 'stopped'. It is '${state}'; wait for it to be running or stopped.`);
  }
}

/** The root volume of a running instance stays: stop the instance first (EC2 refuses, Force or not). */
export function checkDetach(
  volume: Pick<Volume, "volumeId">,
  attachment: { instanceId: string; device: string },
  instance: { rootDeviceName: string; state: InstanceStateName },
): void {
  if (attachment.device === instance.rootDeviceName && instance.state !== "stopped") {
    throw Errors.rootVolumeInUse(volume.volumeId, attachment.instanceId, instance.state);
  }
}

/** The devices an instance reports: each volume attached (or attaching, or detaching) to it at `now`. */
export function blockDevicesAt(volumes: readonly InstanceVolume[], now: Date): InstanceBlockDevice[] {
  return volumes.flatMap((volume) => {
    const attachment = volume.attachment;
    if (!isLive(attachment, now)) return [];
    // Field by field (DescribeInstances maps a hundred instances a page): a spread inside a literal copies through the runtime.
    const ebs: InstanceBlockDevice["Ebs"] = {
      VolumeId: volume.volumeId,
      Status: attachmentState(attachment, now),
      AttachTime: attachment.attachTime,
      DeleteOnTermination: attachment.deleteOnTermination,
      VolumeSize: volume.size,
      VolumeType: volume.volumeType,
    };
    if (volume.snapshotId) ebs.SnapshotId = volume.snapshotId;
    return [{ DeviceName: attachment.device, Ebs: ebs }];
  });
}

/** What an instance reports: its attached volumes once stored, the launch's own list in RunInstances' answer. */
export function instanceDevices(instance: { blockDeviceMappings: InstanceBlockDevice[]; volumes?: InstanceVolume[] }, now: Date): InstanceBlockDevice[] {
  return instance.volumes ? blockDevicesAt(instance.volumes, now) : instance.blockDeviceMappings;
}
