// ExplainLaunch and DescribeFleet (extensions): the rule engine's verdict without launching, and the fleet.
import { type OperationTable, operation } from "../protocol/operation.js";
import type { FleetViewService } from "../services/fleet-view.js";
import type { LaunchService } from "../services/launch.js";

interface ExplainInput {
  ImageId: string;
  InstanceType: string;
  AvailabilityZone?: string;
  Tenancy?: string;
  HostId?: string;
  GroupName?: string;
  KernelId?: string;
}

interface FleetInput {
  AvailabilityZone?: string;
  HostClass?: string;
  MaxResults?: number;
  NextToken?: string;
}

export function explainOperations(launcher: LaunchService, fleet: FleetViewService): OperationTable {
  return {
    ExplainLaunch: operation<ExplainInput, object>({
      async handle(input, caller) {
        const judgement = await launcher.explain(caller, {
          imageId: input.ImageId,
          instanceType: input.InstanceType,
          ...(input.KernelId ? { kernelId: input.KernelId } : {}),
          placement: {
            ...(input.AvailabilityZone ? { availabilityZone: input.AvailabilityZone } : {}),
            ...(input.Tenancy ? { tenancy: input.Tenancy } : {}),
            ...(input.HostId ? { hostId: input.HostId } : {}),
            ...(input.GroupName ? { groupName: input.GroupName } : {}),
          },
        });
        return {
          ImageId: input.ImageId,
          InstanceType: input.InstanceType,
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
