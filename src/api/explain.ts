// ExplainLaunch and DescribeFleet (extensions): the rule engine's verdict without launching, and the fleet.
import { type OperationTable, operation } from "../protocol/operation.js";
import type { FleetViewService } from "../services/fleet-view.js";
import { Errors } from "../domain/errors.js";
import type { BlockDeviceMapping } from "../domain/images.js";
import type { TemplateLaunchParameters } from "../domain/launch-templates.js";
import { definedOnly } from "../domain/objects.js";
import type { LaunchService } from "../services/launch.js";
import type { LaunchTemplateService } from "../services/launch-templates.js";

interface ExplainInput {
  ImageId?: string;
  InstanceType?: string;
  AvailabilityZone?: string;
  Tenancy?: string;
  HostId?: string;
  GroupName?: string;
  KernelId?: string;
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  LaunchTemplateVersion?: string;
}

interface FleetInput {
  AvailabilityZone?: string;
  HostClass?: string;
  MaxResults?: number;
  NextToken?: string;
}

export function explainOperations(launcher: LaunchService, fleet: FleetViewService, templates: LaunchTemplateService): OperationTable {
  return {
    ExplainLaunch: operation<ExplainInput, object>({
      async handle(input, caller) {
        const named = input.LaunchTemplateId !== undefined || input.LaunchTemplateName !== undefined;
        if (!named && input.ImageId === undefined) throw Errors.missingParameter("ImageId");
        if (!named && input.InstanceType === undefined) throw Errors.missingParameter("InstanceType");
        // The template's data under the members given, merged as RunInstances merges them.
        const { request } = await templates.applyTo<TemplateLaunchParameters>(
          caller,
          named
            ? definedOnly({ LaunchTemplateId: input.LaunchTemplateId, LaunchTemplateName: input.LaunchTemplateName, Version: input.LaunchTemplateVersion })
            : undefined,
          definedOnly({
            ImageId: input.ImageId,
            InstanceType: input.InstanceType,
            KernelId: input.KernelId,
            Placement: definedOnly({ AvailabilityZone: input.AvailabilityZone, Tenancy: input.Tenancy, HostId: input.HostId, GroupName: input.GroupName }),
          }),
        );
        const placement = request.Placement ?? {};
        const judgement = await launcher.explain(caller, {
          ...definedOnly({ imageId: request.ImageId, instanceType: request.InstanceType, kernelId: request.KernelId }),
          placement: definedOnly({
            availabilityZone: placement.AvailabilityZone,
            tenancy: placement.Tenancy,
            hostId: placement.HostId,
            groupName: placement.GroupName,
          }),
          ...(request.BlockDeviceMappings ? { blockDeviceMappings: request.BlockDeviceMappings as BlockDeviceMapping[] } : {}),
        });
        return {
          ImageId: request.ImageId,
          InstanceType: request.InstanceType ?? "m1.small",
          Launchable: judgement.launchable,
          WouldBoot: judgement.wouldBoot,
          Checks: judgement.verdicts.map((v) => ({
            RuleId: v.ruleId,
            Title: v.title,
            Outcome: v.outcome,
            Reason: v.reason,
            Explanation: v.explanation,
            Fix: v.fix,
            ErrorCode: v.error?.code,
            ErrorMessage: v.error?.message,
            EnforcedAt: [...v.enforcedAt],
          })),
        };
      },
    }),

    DescribeFleet: operation<FleetInput, object>({
      async handle(input, caller) {
        const { servers, nextToken } = await fleet.describe(caller, {
          ...(input.AvailabilityZone ? { availabilityZone: input.AvailabilityZone } : {}),
          ...(input.HostClass ? { hostClass: input.HostClass } : {}),
          ...(input.MaxResults !== undefined ? { maxResults: input.MaxResults } : {}),
          ...(input.NextToken ? { nextToken: input.NextToken } : {}),
        });
        return {
          Servers: servers.map(({ server, dedicatedHost, instances }) => ({
            ServerId: server.serverId,
            AvailabilityZone: server.availabilityZone,
            HostClass: server.hostClass,
            Hypervisor: server.hypervisor,
            Architecture: server.architecture,
            Sockets: server.sockets,
            Cores: server.cores,
            TotalVCpus: server.totalVCpus,
            MemoryMiB: server.memoryMiB,
            UsedVCpus: server.totalVCpus - server.freeVCpus,
            UsedMemoryMiB: server.memoryMiB - server.freeMemoryMiB,
            InstanceCount: server.instanceCount,
            State: server.state ?? "available",
            DedicatedHost: dedicatedHost !== undefined,
            DedicatedHostId: dedicatedHost?.hostId,
            Instances: instances.map((i) => ({ InstanceId: i.instanceId, InstanceType: i.instanceType, OwnedByCaller: i.ownedByCaller })),
          })),
          ...(nextToken ? { NextToken: nextToken } : {}),
        };
      },
    }),
  };
}
