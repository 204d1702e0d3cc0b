// RunInstances and DescribeInstances: the wire shapes of instances and reservations, and their filters.
import type {
  DescribeInstancesRequest,
  DescribeInstancesResult,
  Instance as InstanceInfo,
  Reservation,
  RunInstancesRequest,
} from "@aws-sdk/client-ec2";
import { instanceDevices } from "../domain/attachments.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { definedOnly } from "../domain/objects.js";
import { applyFilters, type Filter, type FilterSpec } from "../domain/filters.js";
import { type BlockDeviceMapping, billingOf } from "../domain/images.js";
import { currentState, type Instance, type InstancePrefilter, stateCodes } from "../domain/instances.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import { tagsByResourceType } from "../domain/tags.js";
import type { Topology } from "../domain/regions.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceService } from "../services/instances.js";
import type { LaunchService } from "../services/launch.js";

export function instanceOperations(launcher: LaunchService, instances: InstanceService, topology: Topology, clock: Clock): OperationTable {
  const filters = instanceFilters(clock);
  const info = (instance: Instance, launched = false) => instanceInfo(instance, clock.now(), topology.zoneId(instance.availabilityZone), launched);

  return {
    RunInstances: operation<RunInstancesRequest, Reservation>({
      validate(input) {
        tagsByResourceType(input.TagSpecifications, ["instance", "volume"]);
      },
      async handle(input, caller) {
        const tags = tagsByResourceType(input.TagSpecifications, ["instance", "volume"]);
        const placement = input.Placement;
        const { reservationId, instances: launched } = await launcher.run(caller, {
          ...(input.ImageId !== undefined ? { imageId: input.ImageId } : {}),
          ...(input.InstanceType !== undefined ? { instanceType: input.InstanceType } : {}),
          minCount: input.MinCount!,
          maxCount: input.MaxCount!,
          ...(placement
            ? {
                placement: definedOnly({
                  availabilityZone: placement.AvailabilityZone,
                  tenancy: placement.Tenancy,
                  hostId: placement.HostId,
                  affinity: placement.Affinity,
                  groupName: placement.GroupName,
                  partitionNumber: placement.PartitionNumber,
                }),
              }
            : {}),
          ...definedOnly({ kernelId: input.KernelId, ramdiskId: input.RamdiskId, keyName: input.KeyName, userData: input.UserData, clientToken: input.ClientToken, disableApiTermination: input.DisableApiTermination }),
          blockDeviceMappings: (input.BlockDeviceMappings ?? []) as BlockDeviceMapping[],
          instanceTags: tags.instance!,
          volumeTags: tags.volume!,
        });
        return { ReservationId: reservationId, OwnerId: caller.accountId, Groups: [], Instances: launched.map((instance) => info(instance, true)) };
      },
    }),

    DescribeInstances: operation<DescribeInstancesRequest, DescribeInstancesResult>({
      async handle(input, caller) {
        if (input.InstanceIds?.length && input.MaxResults !== undefined) {
          throw Errors.invalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults");
        }
        if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
          throw Errors.invalidParameterValue(`Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
        }
        const prefilter = literalPrefilter(input.Filters);
        if (input.InstanceIds?.length) {
          const found = applyFilters(await instances.get(caller, input.InstanceIds), input.Filters, filters);
          return { Reservations: reservations(found.map((instance) => info(instance)), caller.accountId, found) };
        }
        // Check every filter name before reading anything.
        applyFilters([], input.Filters, filters);
        const want = input.MaxResults ?? Number.MAX_SAFE_INTEGER;
        const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : undefined;
        const { instances: found, more } = await instances.scan(caller, {
          ...(after ? { afterId: after } : {}),
          want,
          prefilter,
          accept: (instance) => applyFilters([instance], input.Filters, filters).length === 1,
        });
        return {
          Reservations: reservations(found.map((instance) => info(instance)), caller.accountId, found),
          ...(more && found.length > 0 ? { NextToken: encodeToken(found[found.length - 1]!.instanceId) } : {}),
        };
      },
    }),
  };
}

/** Instances grouped by reservation, in the order their first instance appears. */
function reservations(infos: InstanceInfo[], ownerId: string, instances: Instance[]): Reservation[] {
  const byId = new Map<string, Reservation>();
  infos.forEach((info, i) => {
    const reservationId = instances[i]!.reservationId;
    let reservation = byId.get(reservationId);
    if (!reservation) {
      reservation = { ReservationId: reservationId, OwnerId: ownerId, Groups: [], Instances: [] };
      byId.set(reservationId, reservation);
    }
    reservation.Instances!.push(info);
  });
  return [...byId.values()];
}

/** `launched`: RunInstances answers with the state the instance was launched in (pending), as EC2 does. */
export function instanceInfo(instance: Instance, now: Date, zoneId: string | undefined, launched = false): InstanceInfo {
  const state = launched ? instance.state : currentState(instance, now);
  const billing = billingOf(instance);
  const ipName = `ip-${instance.privateIpAddress.replace(/\./g, "-")}.ec2.internal`;
  return {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    State: { Code: stateCodes[state], Name: state },
    PrivateDnsName: state === "terminated" ? "" : ipName,
    PublicDnsName: "",
    StateTransitionReason: instance.stateReason ?? "",
    ...(state === "stopped" || state === "terminated" || state === "stopping" || state === "shutting-down"
      ? { StateReason: { Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" } }
      : {}),
    KeyName: instance.keyName,
    AmiLaunchIndex: instance.launchIndex,
    ProductCodes: [],
    InstanceType: instance.instanceType as InstanceInfo["InstanceType"],
    LaunchTime: instance.launchTime,
    Placement: {
      AvailabilityZone: instance.availabilityZone,
      ...(zoneId ? { AvailabilityZoneId: zoneId } : {}),
      GroupName: instance.placementGroupName ?? "",
      ...(instance.placementGroupId ? { GroupId: instance.placementGroupId } : {}),
      ...(instance.partitionNumber ? { PartitionNumber: instance.partitionNumber } : {}),
      Tenancy: instance.tenancy,
      ...(instance.hostId ? { HostId: instance.hostId, Affinity: instance.affinity ?? "default" } : {}),
    },
    KernelId: instance.kernelId,
    RamdiskId: instance.ramdiskId,
    Platform: instance.platform as InstanceInfo["Platform"],
    PlatformDetails: billing.platformDetails,
    UsageOperation: billing.usageOperation,
    Monitoring: { State: "disabled" },
    PrivateIpAddress: state === "terminated" ? undefined : instance.privateIpAddress,
    Architecture: instance.architecture as InstanceInfo["Architecture"],
    RootDeviceType: "ebs",
    RootDeviceName: instance.rootDeviceName,
    BlockDeviceMappings: state === "terminated" ? [] : instanceDevices(instance, now),
    ClientToken: instance.clientToken ?? "",
    EbsOptimized: false,
    EnaSupport: instance.enaSupport,
    // EC2 reports xen for Nitro instances too (HypervisorType is ovm | xen); DescribeFleet shows the real host.
    Hypervisor: "xen",
    SriovNetSupport: instance.sriovNetSupport,
    Tags: instance.tags.length > 0 ? instance.tags : undefined,
    VirtualizationType: instance.virtualizationType,
    SecurityGroups: [],
    SourceDestCheck: true,
    BootMode: instance.bootMode,
    CurrentInstanceBootMode: instance.bootMode,
    CpuOptions: undefined,
  };
}

/** The literal (wildcard-free) filters the store can narrow by; the exact rules still run on what it returns. */
function literalPrefilter(filters: readonly Filter[] | undefined): InstancePrefilter {
  const prefilter: InstancePrefilter = {};
  const literal = (values: string[] | undefined) => (values && values.length > 0 && values.every((v) => !/[*?\\]/.test(v)) ? values : undefined);
  const columns: Record<string, keyof Omit<InstancePrefilter, "tags">> = {
    "instance-id": "instanceIds",
    "instance-type": "instanceTypes",
    "image-id": "imageIds",
    "availability-zone": "availabilityZones",
    "reservation-id": "reservationIds",
  };
  for (const filter of filters ?? []) {
    const values = literal(filter.Values);
    const column = filter.Name ? columns[filter.Name] : undefined;
    if (column && values) prefilter[column] = values;
    if (filter.Name?.startsWith("tag:") && values) (prefilter.tags ??= []).push({ key: filter.Name.slice(4), values });
    if (filter.Name === "tag-key" && values?.length === 1) (prefilter.tags ??= []).push({ key: values[0]! });
  }
  return prefilter;
}

function instanceFilters(clock: Clock): FilterSpec<Instance> {
  const state = (i: Instance) => currentState(i, clock.now());
  const devices = (i: Instance) => instanceDevices(i, clock.now());
  return {
    fields: {
      "affinity": (i) => i.affinity,
      "architecture": (i) => i.architecture,
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
      "hypervisor": () => "xen",
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
      "platform": (i) => i.platform,
      "platform-details": (i) => billingOf(i).platformDetails,
      "private-ip-address": (i) => i.privateIpAddress,
      "ramdisk-id": (i) => i.ramdiskId,
      "reservation-id": (i) => i.reservationId,
      "root-device-name": (i) => i.rootDeviceName,
      "root-device-type": () => "ebs",
      "sriov-net-support": (i) => i.sriovNetSupport,
      "tenancy": (i) => i.tenancy,
      "virtualization-type": (i) => i.virtualizationType,
    },
    tags: (i) => i.tags,
  };
}
