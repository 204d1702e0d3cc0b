// Dedicated Hosts: AllocateHosts, DescribeHosts, ModifyHosts, ReleaseHosts.
import type {
  AllocateHostsRequest,
  AllocateHostsResult,
  DescribeHostsRequest,
  DescribeHostsResult,
  Host,
  ModifyHostsRequest,
  ModifyHostsResult,
  ReleaseHostsRequest,
  ReleaseHostsResult,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import { definedOnly } from "../domain/objects.js";
import { paginate } from "../domain/pagination.js";
import type { Topology } from "../domain/regions.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { HostService, HostView } from "../services/hosts.js";

export function hostOperations(hosts: HostService, topology: Topology): OperationTable {
  const outcome = (result: Awaited<ReturnType<HostService["release"]>>) => ({
    Successful: result.successful,
    Unsuccessful: result.unsuccessful.map((item) => ({ ResourceId: item.id, Error: { Code: item.code, Message: item.message } })),
  });
  return {
    AllocateHosts: operation<AllocateHostsRequest, AllocateHostsResult>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "dedicated-host");
      },
      async handle(input, caller) {
        const hostIds = await hosts.allocate(caller, {
          ...(input.AvailabilityZone ? { availabilityZone: input.AvailabilityZone } : {}),
          ...(input.InstanceType ? { instanceType: input.InstanceType } : {}),
          ...(input.InstanceFamily ? { instanceFamily: input.InstanceFamily } : {}),
          ...(input.Quantity !== undefined ? { quantity: input.Quantity } : {}),
          ...(input.AutoPlacement ? { autoPlacement: input.AutoPlacement } : {}),
          ...(input.HostRecovery ? { hostRecovery: input.HostRecovery } : {}),
          ...(input.HostMaintenance ? { hostMaintenance: input.HostMaintenance } : {}),
          ...(input.ClientToken ? { clientToken: input.ClientToken } : {}),
          tags: tagsFromSpecifications(input.TagSpecifications, "dedicated-host"),
        });
        return { HostIds: hostIds };
      },
    }),
    DescribeHosts: operation<DescribeHostsRequest, DescribeHostsResult>({
      async handle(input, caller) {
        if (input.HostIds?.length && input.MaxResults !== undefined)
          throw Errors.invalidParameterCombination("The parameter hostIdSet cannot be used with the parameter maxResults");
        const views = await hosts.describe(caller, input.HostIds, input.Filter);
        const page = paginate(
          views.map((view) => hostInfo(view, topology.zoneId(view.host.availabilityZone))),
          (host) => host.HostId!,
          input,
          Number.MAX_SAFE_INTEGER,
        );
        return { Hosts: page.items, NextToken: page.nextToken };
      },
    }),
    ModifyHosts: operation<ModifyHostsRequest, ModifyHostsResult>({
      async handle(input, caller) {
        if (!input.AutoPlacement && !input.HostRecovery && !input.HostMaintenance && !input.InstanceType && !input.InstanceFamily) {
          throw Errors.hostSettingNeedsValue();
        }
        const change = definedOnly({
          autoPlacement: input.AutoPlacement,
          hostRecovery: input.HostRecovery,
          hostMaintenance: input.HostMaintenance,
          instanceType: input.InstanceType,
          instanceFamily: input.InstanceFamily,
        });
        return outcome(await hosts.modify(caller, input.HostIds ?? [], change));
      },
    }),
    ReleaseHosts: operation<ReleaseHostsRequest, ReleaseHostsResult>({
      async handle(input, caller) {
        return outcome(await hosts.release(caller, input.HostIds ?? []));
      },
    }),
  };
}

function hostInfo({ host, server, configuration, availableVCpus, capacity, instances }: HostView, zoneId: string | undefined): Host {
  return {
    HostId: host.hostId,
    AutoPlacement: host.autoPlacement,
    HostRecovery: host.hostRecovery,
    AvailabilityZone: host.availabilityZone,
    ...(zoneId ? { AvailabilityZoneId: zoneId } : {}),
    State: host.state,
    AllocationTime: host.allocatedAt,
    ...(host.releasedAt ? { ReleaseTime: host.releasedAt } : {}),
    OwnerId: host.accountId,
    ClientToken: host.clientToken,
    AllowsMultipleInstanceTypes: host.instanceFamily ? "on" : "off",
    HostMaintenance: host.hostMaintenance,
    HostProperties: {
      ...(configuration ? { Cores: configuration.cores, Sockets: configuration.sockets, TotalVCpus: configuration.vCpus } : {}),
      ...(host.instanceType ? { InstanceType: host.instanceType } : {}),
      InstanceFamily: host.instanceFamily ?? host.instanceType?.split(".")[0],
    },
    ...(server && host.state === "available"
      ? {
          AvailableCapacity: {
            AvailableVCpus: availableVCpus,
            AvailableInstanceCapacity: capacity.map((c) => ({ InstanceType: c.instanceType, AvailableCapacity: c.available, TotalCapacity: c.total })),
          },
        }
      : {}),
    Instances: instances.map((i) => ({ InstanceId: i.instanceId, InstanceType: i.instanceType, OwnerId: i.ownerId })),
    Tags: host.tags,
  };
}
