// ExplainLaunch and DescribeFleet (extensions): the rule engine's verdict without launching, and the fleet.
import { Errors } from "../domain/errors.js";
import { decodeToken, encodeToken } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { LaunchService } from "../services/launch.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";

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

export function explainOperations(launcher: LaunchService, fleet: FleetRepo, instances: InstancesRepo): OperationTable {
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
        const take = input.MaxResults ?? 1000;
        if (take < 1 || take > 1000) throw Errors.invalidParameterValue(`Value ( ${take} ) for parameter maxResults is invalid. Expecting a value between 1 and 1000.`);
        await fleet.ensureSeeded(caller.region);
        const servers = await fleet.page({
          region: caller.region,
          ...(input.AvailabilityZone ? { availabilityZone: input.AvailabilityZone } : {}),
          ...(input.HostClass ? { hostClass: input.HostClass } : {}),
          ...(input.NextToken ? { afterId: decodeToken(input.NextToken) } : {}),
          take: take + 1,
        });
        const page = servers.slice(0, take);
        const onServers = await instances.onServers(page.filter((s) => s.instanceCount > 0).map((s) => s.serverId));
        return {
          Servers: page.map((server) => ({
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
            DedicatedHostId: server.dedicatedHostId,
            Instances: onServers
              .filter((i) => i.serverId === server.serverId)
              .map((i) => (i.accountId === caller.accountId ? { InstanceId: i.instanceId, InstanceType: i.instanceType, OwnedByCaller: true } : { InstanceType: i.instanceType, OwnedByCaller: false })),
          })),
          ...(servers.length > take ? { NextToken: encodeToken(page[page.length - 1]!.serverId) } : {}),
        };
      },
    }),
  };
}
