// CreateTags, DeleteTags, DescribeTags.
import type { CreateTagsRequest, DeleteTagsRequest, DescribeTagsRequest, DescribeTagsResult, TagDescription } from "@aws-sdk/client-ec2";
import { applyFilters } from "../domain/filters.js";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { TagService } from "../services/tags.js";
import type { TagsRepo } from "../store/tags-repo.js";

export function tagOperations(tags: TagService, repo: TagsRepo): OperationTable {
  return {
    CreateTags: operation<CreateTagsRequest, Record<string, never>>({
      async handle(input, caller) {
        await tags.create(caller, input.Resources!, input.Tags!.map((tag) => ({ Key: tag.Key ?? "", Value: tag.Value ?? "" })));
        return {};
      },
    }),
    DeleteTags: operation<DeleteTagsRequest, Record<string, never>>({
      async handle(input, caller) {
        await tags.delete(caller, input.Resources!, input.Tags ?? []);
        return {};
      },
    }),
    DescribeTags: operation<DescribeTagsRequest, DescribeTagsResult>({
      async handle(input, caller) {
        const rows: TagDescription[] = (await repo.list(caller)).map((row) => ({
          ResourceId: row.resourceId,
          ResourceType: row.resourceType as TagDescription["ResourceType"],
          Key: row.key,
          Value: row.value,
        }));
        const matching = applyFilters(rows, input.Filters, {
          fields: { key: (t) => t.Key, value: (t) => t.Value, "resource-id": (t) => t.ResourceId, "resource-type": (t) => t.ResourceType },
        });
        const page = paginate(matching, (t) => `${t.ResourceId}\u0000${t.Key}`, input, 1000);
        return { Tags: page.items, NextToken: page.nextToken };
      },
    }),
  };
}
