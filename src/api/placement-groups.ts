// CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup.
import type {
  CreatePlacementGroupRequest,
  CreatePlacementGroupResult,
  DeletePlacementGroupRequest,
  DescribePlacementGroupsRequest,
  DescribePlacementGroupsResult,
  PlacementGroup as PlacementGroupInfo,
} from "@aws-sdk/client-ec2";
import type { PlacementGroup } from "../domain/placement-groups.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { PlacementGroupService } from "../services/placement-groups.js";

export function placementGroupOperations(groups: PlacementGroupService): OperationTable {
  return {
    CreatePlacementGroup: operation<CreatePlacementGroupRequest, CreatePlacementGroupResult>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "placement-group");
      },
      async handle(input, caller) {
        const group = await groups.create(caller, {
          ...(input.GroupName !== undefined ? { groupName: input.GroupName } : {}),
          ...(input.Strategy !== undefined ? { strategy: input.Strategy } : {}),
          ...(input.PartitionCount !== undefined ? { partitionCount: input.PartitionCount } : {}),
          ...(input.SpreadLevel !== undefined ? { spreadLevel: input.SpreadLevel } : {}),
          tags: tagsFromSpecifications(input.TagSpecifications, "placement-group"),
        });
        return { PlacementGroup: groupInfo(group) };
      },
    }),
    DescribePlacementGroups: operation<DescribePlacementGroupsRequest, DescribePlacementGroupsResult>({
      async handle(input, caller) {
        const found = await groups.describe(caller, input.GroupNames, input.GroupIds, input.Filters);
        return { PlacementGroups: found.map(groupInfo) };
      },
    }),
    DeletePlacementGroup: operation<DeletePlacementGroupRequest, object>({
      async handle(input, caller) {
        await groups.delete(caller, input.GroupName!);
        return {};
      },
    }),
  };
}

function groupInfo(group: PlacementGroup): PlacementGroupInfo {
  return {
    GroupName: group.groupName,
    GroupId: group.groupId,
    State: "available",
    Strategy: group.strategy,
    ...(group.partitionCount ? { PartitionCount: group.partitionCount } : {}),
    ...(group.spreadLevel ? { SpreadLevel: group.spreadLevel } : {}),
    GroupArn: `arn:aws:ec2:${group.region}:${group.accountId}:placement-group/${group.groupName}`,
    Tags: group.tags,
  };
}
