// DescribePlacementGroups' filter names, read from a placement group.
import type { FilterSpec } from "../filters.js";
import type { PlacementGroup } from "../placement-groups.js";

export const placementGroupFilters: FilterSpec<PlacementGroup> = {
  fields: {
    "group-name": (g) => g.groupName,
    "group-arn": (g) => `arn:aws:ec2:${g.region}:${g.accountId}:placement-group/${g.groupName}`,
    state: () => "available",
    strategy: (g) => g.strategy,
    "spread-level": (g) => g.spreadLevel,
  },
  tags: (g) => g.tags,
};
