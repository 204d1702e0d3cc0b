// Placement groups: the record and EC2's rules for creating one (facts §4).
import { Errors } from "./errors.js";
import type { Tag } from "./tags.js";

export interface PlacementGroup {
  groupId: string;
  accountId: string;
  region: string;
  groupName: string;
  strategy: "cluster" | "spread" | "partition";
  partitionCount?: number;
  spreadLevel?: "host" | "rack";
  createdAt: Date;
  tags: Tag[];
}

export const maxPartitions = 7;

export function checkNewGroup(input: { groupName?: string; strategy?: string; partitionCount?: number; spreadLevel?: string }): void {
  if (!input.groupName) throw Errors.missingParameter("GroupName");
  if (input.groupName.length > 255) throw Errors.invalidParameterValue("A placement group name is at most 255 characters.");
  if (!input.strategy) throw Errors.missingParameter("Strategy");
  if (input.partitionCount !== undefined) {
    if (input.strategy !== "partition") throw Errors.invalidParameterCombination("PartitionCount applies only to the partition strategy.");
    if (input.partitionCount < 1 || input.partitionCount > maxPartitions) {
      throw Errors.invalidParameterValue(
        `Value (${input.partitionCount}) for parameter partitionCount is invalid. A partition placement group has 1 to ${maxPartitions} partitions per Availability Zone.`,
      );
    }
  }
  if (input.spreadLevel !== undefined && input.strategy !== "spread")
    throw Errors.invalidParameterCombination("SpreadLevel applies only to the spread strategy.");
  if (input.spreadLevel === "host")
    throw Errors.invalidParameterValue("Host-level spread placement groups are available only on AWS Outposts. Use --spread-level rack.");
}
