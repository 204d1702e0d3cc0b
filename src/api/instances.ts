// RunInstances and DescribeInstances: the wire shapes of instances and reservations.
import type { DescribeInstancesRequest, DescribeInstancesResult, Instance as InstanceInfo, Reservation, RunInstancesRequest } from "@aws-sdk/client-ec2";
import { instanceDevices } from "../domain/attachments.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { definedOnly } from "../domain/objects.js";
import { type BlockDeviceMapping, billingOf } from "../domain/images.js";
import { type CpuShape, defaultInstanceMaintenance, type MetadataOptions, type RequestedOptions } from "../domain/instance-options.js";
import { maintenanceOptionsInfo } from "./maintenance.js";
import { currentState, type Instance, stateCodes, stateReasonOf, stateTransitionReason } from "../domain/instances.js";
import { launchTags } from "../domain/launch-tags.js";
import type { Topology } from "../domain/regions.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceQueryService } from "../services/instance-queries.js";
import type { LaunchRequest, LaunchService } from "../services/launch.js";
import type { Caller } from "../domain/caller.js";
import type { LaunchTemplateService } from "../services/launch-templates.js";
import { refuseUnsupportedMembers } from "./run-instances-members.js";
import { networkInfo } from "./instance-network-info.js";
import { spotLaunchOf } from "./spot.js";
import type { NetworkMembers } from "../domain/instance-network.js";

export function instanceOperations(
  launcher: LaunchService,
  queries: InstanceQueryService,
  topology: Topology,
  clock: Clock,
  templates: LaunchTemplateService,
  /** The type's cores and threads, shown when the launch chose none (EC2 always shows CpuOptions). */
  defaultCpu: (instanceType: string) => CpuShape | undefined,
): OperationTable {
  const info = (instance: Instance, launched = false) =>
    instanceInfo(instance, clock.now(), topology.zoneId(instance.availabilityZone), launched, defaultCpu(instance.instanceType));

  return {
    RunInstances: operation<RunInstancesRequest, Reservation>({
      validate(input) {
        refuseUnsupportedMembers(input);
        // Whether the launch is Spot waits for the template's InstanceMarketOptions (launchRequestOf).
        launchTags(input.TagSpecifications, true);
      },
      async dryRun(explicit, caller) {
        await launcher.check(caller, await launchRequestOf(templates, explicit, caller, clock.now()));
      },
      async handle(explicit, caller) {
        const { reservationId, instances: launched } = await launcher.run(caller, await launchRequestOf(templates, explicit, caller, clock.now()));
        return { ReservationId: reservationId, OwnerId: caller.accountId, Groups: [], Instances: launched.map((instance) => info(instance, true)) };
      },
    }),

    DescribeInstances: operation<DescribeInstancesRequest, DescribeInstancesResult>({
      async handle(input, caller) {
        if (input.InstanceIds?.length && input.MaxResults !== undefined) {
          throw Errors.invalidParameterCombination("The parameter instancesSet cannot be used with the parameter maxResults");
        }
        const { instances: found, nextToken } = await queries.describe(caller, {
          ...(input.InstanceIds?.length ? { instanceIds: input.InstanceIds } : {}),
          ...(input.Filters ? { filters: input.Filters } : {}),
          ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
          want: input.MaxResults ?? Number.MAX_SAFE_INTEGER,
        });
        return {
          Reservations: reservations(
            found.map((instance) => info(instance)),
            caller.accountId,
            found,
          ),
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        };
      },
    }),
  };
}

/** The settings RunInstances' members ask for, in the domain's terms. */
function requestedOptions(input: RunInstancesRequest): RequestedOptions {
  const metadata = input.MetadataOptions;
  return definedOnly({
    metadata: metadata
      ? (definedOnly({
          httpTokens: metadata.HttpTokens,
          httpEndpoint: metadata.HttpEndpoint,
          httpPutResponseHopLimit: metadata.HttpPutResponseHopLimit,
          httpProtocolIpv6: metadata.HttpProtocolIpv6,
          instanceMetadataTags: metadata.InstanceMetadataTags,
        }) as Partial<MetadataOptions>)
      : undefined,
    shutdownBehavior: input.InstanceInitiatedShutdownBehavior,
    ebsOptimized: input.EbsOptimized,
    monitoring: input.Monitoring?.Enabled,
    hibernation: input.HibernationOptions?.Configured,
    cpu: input.CpuOptions ? definedOnly({ coreCount: input.CpuOptions.CoreCount, threadsPerCore: input.CpuOptions.ThreadsPerCore }) : undefined,
    disableApiStop: input.DisableApiStop,
    iamInstanceProfile: input.IamInstanceProfile ? definedOnly({ arn: input.IamInstanceProfile.Arn, name: input.IamInstanceProfile.Name }) : undefined,
    cpuCredits: input.CreditSpecification?.CpuCredits,
    autoRecovery: input.MaintenanceOptions?.AutoRecovery,
  });
}

/** How DescribeInstances shows the metadata options: EC2 applies a change in a moment; here it is applied at once. */
export function metadataOptionsInfo(metadata: MetadataOptions, state: "applied" | "pending" = "applied") {
  return {
    State: state,
    HttpTokens: metadata.httpTokens,
    HttpPutResponseHopLimit: metadata.httpPutResponseHopLimit,
    HttpEndpoint: metadata.httpEndpoint,
    HttpProtocolIpv6: metadata.httpProtocolIpv6,
    InstanceMetadataTags: metadata.instanceMetadataTags,
  };
}

/** The launch's choice, or else the type's default (VCpuInfo's DefaultCores and DefaultThreadsPerCore). */
function cpuOptionsInfo(cpu: CpuShape | undefined) {
  return cpu ? { CoreCount: cpu.coreCount, ThreadsPerCore: cpu.threadsPerCore } : undefined;
}

/** Instances grouped by reservation, in the order their first instance appears, each by launch index. */
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
  // EC2 lists a reservation's instances by launch index; a page is read in id order.
  for (const reservation of byId.values()) reservation.Instances!.sort((a, b) => a.AmiLaunchIndex! - b.AmiLaunchIndex!);
  return [...byId.values()];
}

/** `launched`: RunInstances answers with the state the instance was launched in (pending), as EC2 does. */
export function instanceInfo(instance: Instance, now: Date, zoneId: string | undefined, launched = false, defaultCpu?: CpuShape): InstanceInfo {
  const state = launched ? instance.state : currentState(instance, now);
  const billing = billingOf(instance);
  // Field by field, no spreads of small objects: a hundred instances a page, and a spread in the middle of an object
  // literal copies through the runtime.
  const placement: NonNullable<InstanceInfo["Placement"]> = { AvailabilityZone: instance.availabilityZone };
  if (zoneId) placement.AvailabilityZoneId = zoneId;
  placement.GroupName = instance.placementGroupName ?? "";
  if (instance.placementGroupId) placement.GroupId = instance.placementGroupId;
  if (instance.partitionNumber) placement.PartitionNumber = instance.partitionNumber;
  placement.Tenancy = instance.tenancy;
  if (instance.hostId) {
    placement.HostId = instance.hostId;
    placement.Affinity = instance.affinity ?? "default";
  }
  const info: InstanceInfo = {
    InstanceId: instance.instanceId,
    ImageId: instance.imageId,
    State: { Code: stateCodes[state], Name: state },
    StateTransitionReason: stateTransitionReason(instance),
  };
  const reason = stateReasonOf(instance, state);
  if (reason) info.StateReason = reason;
  info.KeyName = instance.keyName;
  info.AmiLaunchIndex = instance.launchIndex;
  info.ProductCodes = [];
  info.InstanceType = instance.instanceType as InstanceInfo["InstanceType"];
  info.LaunchTime = instance.launchTime;
  info.Placement = placement;
  info.KernelId = instance.kernelId;
  info.RamdiskId = instance.ramdiskId;
  info.Platform = instance.platform as InstanceInfo["Platform"];
  info.PlatformDetails = billing.platformDetails;
  info.UsageOperation = billing.usageOperation;
  info.Monitoring = { State: instance.options.monitoring ? "enabled" : "disabled" };
  info.Architecture = instance.architecture as InstanceInfo["Architecture"];
  info.RootDeviceType = "ebs";
  info.RootDeviceName = instance.rootDeviceName;
  info.BlockDeviceMappings = state === "terminated" ? [] : instanceDevices(instance, now);
  info.ClientToken = instance.clientToken ?? "";
  info.EbsOptimized = instance.options.ebsOptimized;
  info.EnaSupport = instance.enaSupport;
  // EC2 reports xen for Nitro instances too (HypervisorType is ovm | xen); DescribeFleet shows the real host.
  info.Hypervisor = "xen";
  info.SriovNetSupport = instance.sriovNetSupport;
  info.Tags = instance.tags.length > 0 ? instance.tags : undefined;
  info.VirtualizationType = instance.virtualizationType;
  networkInfo(instance, state, launched, info);
  info.BootMode = instance.bootMode;
  info.CurrentInstanceBootMode = instance.bootMode;
  info.CpuOptions = cpuOptionsInfo(instance.options.cpu ?? defaultCpu);
  info.MetadataOptions = metadataOptionsInfo(instance.options.metadata);
  info.MaintenanceOptions = maintenanceOptionsInfo(instance.options.maintenance ?? defaultInstanceMaintenance);
  info.HibernationOptions = { Configured: instance.options.hibernation };
  if (instance.spotInstanceRequestId) {
    info.InstanceLifecycle = "spot";
    info.SpotInstanceRequestId = instance.spotInstanceRequestId;
  }
  const profile = instance.options.iamInstanceProfile;
  if (profile) info.IamInstanceProfile = { Arn: profile.arn, Id: profile.id };
  return info;
}

/** RunInstances' request in the launch service's terms: a launch template's data under the explicit parameters. */
async function launchRequestOf(templates: LaunchTemplateService, explicit: RunInstancesRequest, caller: Caller, now: Date): Promise<LaunchRequest> {
  // A launch template's data under the explicit parameters: the rules below judge the merged request.
  const { request: input, templateTags } = await templates.applyTo(caller, explicit.LaunchTemplate, explicit);
  const tags = launchTags(input.TagSpecifications, input.InstanceMarketOptions !== undefined);
  const placement = input.Placement;
  const market = spotLaunchOf(input.InstanceMarketOptions, now);
  return {
    ...(market ? { market: { ...market, tags: tags["spot-instances-request"] } } : {}),
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
    ...definedOnly({
      kernelId: input.KernelId,
      ramdiskId: input.RamdiskId,
      keyName: input.KeyName,
      userData: input.UserData,
      clientToken: input.ClientToken,
      disableApiTermination: input.DisableApiTermination,
    }),
    blockDeviceMappings: (input.BlockDeviceMappings ?? []) as BlockDeviceMapping[],
    instanceTags: [...tags.instance!, ...templateTags],
    volumeTags: tags.volume!,
    interfaceTags: tags["network-interface"]!,
    options: requestedOptions(input),
    network: definedOnly({
      SubnetId: input.SubnetId,
      SecurityGroupIds: input.SecurityGroupIds,
      SecurityGroups: input.SecurityGroups,
      PrivateIpAddress: input.PrivateIpAddress,
      NetworkInterfaces: input.NetworkInterfaces as NetworkMembers["NetworkInterfaces"],
    }),
  };
}
