// Placement groups: CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { placementGroupFilters } from "../domain/filters/placement-groups.js";
import { newId } from "../domain/ids.js";
import { checkNewGroup, type PlacementGroup } from "../domain/placement-groups.js";
import type { Tag } from "../domain/tags.js";
import type { PlacementGroupsRepo } from "../store/placement-groups-repo.js";

export class PlacementGroupService {
  constructor(
    private readonly groups: PlacementGroupsRepo,
    private readonly clock: Clock,
  ) {}

  async create(
    caller: Caller,
    input: { groupName?: string; strategy?: string; partitionCount?: number; spreadLevel?: string; tags: Tag[] },
  ): Promise<PlacementGroup> {
    checkNewGroup(input);
    const group: PlacementGroup = {
      groupId: newId("pg"),
      accountId: caller.accountId,
      region: caller.region,
      groupName: input.groupName!,
      strategy: input.strategy as PlacementGroup["strategy"],
      ...(input.strategy === "partition" ? { partitionCount: input.partitionCount ?? 2 } : {}),
      ...(input.strategy === "spread" ? { spreadLevel: "rack" as const } : {}),
      createdAt: this.clock.now(),
      tags: input.tags,
    };
    if ((await this.groups.insert(group)) === "duplicate") {
      throw Errors.placementGroupDuplicate(group.groupName);
    }
    return group;
  }

  async describe(caller: Caller, names?: string[], ids?: string[], filters?: readonly Filter[]): Promise<PlacementGroup[]> {
    const groups = await this.groups.list(caller, { ...(names?.length ? { names } : {}), ...(ids?.length ? { ids } : {}) });
    const missingName = names?.find((name) => !groups.some((g) => g.groupName === name));
    if (missingName) throw Errors.placementGroupUnknown(missingName);
    const missingId = ids?.find((id) => !groups.some((g) => g.groupId === id));
    if (missingId) throw Errors.placementGroupIdNotFound(missingId);
    return applyFilters(groups, filters, placementGroupFilters);
  }

  async delete(caller: Caller, groupName: string): Promise<void> {
    const [group] = await this.groups.list(caller, { names: [groupName] });
    if (!group) throw Errors.placementGroupUnknown(groupName);
    if ((await this.groups.delete(caller, group.groupId)) === "in-use") {
      throw Errors.placementGroupInUse(groupName);
    }
  }
}
