// DescribeInstances' filter names, read from an instance as EC2 reports it at this moment.
import { instanceDevices } from "../attachments.js";
import type { Clock } from "../clock.js";
import type { FilterSpec } from "../filters.js";
import { billingOf } from "../images.js";
import { currentState, type Instance, stateCodes } from "../instances.js";

export function instanceFilters(clock: Clock): FilterSpec<Instance> {
  const state = (i: Instance) => currentState(i, clock.now());
  const devices = (i: Instance) => instanceDevices(i, clock.now());
  return {
    fields: {
      affinity: (i) => i.affinity,
      architecture: (i) => i.architecture,
      "availability-zone": (i) => i.availabilityZone,
      "block-device-mapping.attach-time": (i) => devices(i).map((d) => d.Ebs.AttachTime.toISOString()),
      "block-device-mapping.device-name": (i) => devices(i).map((d) => d.DeviceName),
      "block-device-mapping.volume-id": (i) => devices(i).map((d) => d.Ebs.VolumeId),
      "block-device-mapping.delete-on-termination": (i) => devices(i).map((d) => String(d.Ebs.DeleteOnTermination)),
      "block-device-mapping.status": (i) => devices(i).map((d) => d.Ebs.Status),
      "boot-mode": (i) => i.bootMode,
      "client-token": (i) => i.clientToken,
      "current-instance-boot-mode": (i) => i.bootMode,
      "ena-support": (i) => i.enaSupport,
      "host-id": (i) => i.hostId,
      hypervisor: () => "xen",
      "image-id": (i) => i.imageId,
      "instance-id": (i) => i.instanceId,
      "instance-lifecycle": () => undefined,
      "instance-state-code": (i) => String(stateCodes[state(i)]),
      "instance-state-name": state,
      "instance-type": (i) => i.instanceType,
      "kernel-id": (i) => i.kernelId,
      "key-name": (i) => i.keyName,
      "launch-index": (i) => String(i.launchIndex),
      "launch-time": (i) => i.launchTime.toISOString(),
      "owner-id": (i) => i.accountId,
      "placement-group-name": (i) => i.placementGroupName,
      "placement-partition-number": (i) => (i.partitionNumber ? String(i.partitionNumber) : undefined),
      platform: (i) => i.platform,
      "platform-details": (i) => billingOf(i).platformDetails,
      "private-ip-address": (i) => i.privateIpAddress,
      "ramdisk-id": (i) => i.ramdiskId,
      "reservation-id": (i) => i.reservationId,
      "root-device-name": (i) => i.rootDeviceName,
      "root-device-type": () => "ebs",
      "sriov-net-support": (i) => i.sriovNetSupport,
      tenancy: (i) => i.tenancy,
      "virtualization-type": (i) => i.virtualizationType,
    },
    tags: (i) => i.tags,
  };
}
