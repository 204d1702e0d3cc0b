// CreateTags, DeleteTags, DescribeTags.
import type { CreateTagsRequest, DeleteTagsRequest, DescribeTagsRequest, DescribeTagsResult, TagDescription } from "@aws-sdk/client-ec2";
import type { ResourceTag } from "../domain/filters/tags.js";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { TagService } from "../services/tags.js";

export function tagOperations(tags: TagService): OperationTable {
  return {
    CreateTags: operation<CreateTagsRequest, Record<string, never>>({
      async handle(input, caller) {
        await tags.create(
          caller,
          input.Resources!,
          input.Tags!.map((tag) => ({ Key: tag.Key ?? "", Value: tag.Value ?? "" })),
        );
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
        const found = await tags.describe(caller, input.Filters);
        const page = paginate(found, (tag) => `${tag.resourceId}\u0000${tag.key}`, input, 1000);
        return { Tags: page.items.map(tagDescription), NextToken: page.nextToken };
      },
    }),
  };
}

function tagDescription(tag: ResourceTag): TagDescription {
  return { ResourceId: tag.resourceId, ResourceType: tag.resourceType as TagDescription["ResourceType"], Key: tag.key, Value: tag.value };
}
