// EC2's tag rules, and TagSpecification on create calls: which resource type a call may tag, and which keys
// and values are allowed.
import { Errors } from "./errors.js";

export interface Tag {
  Key: string;
  Value: string;
}

export interface TagSpecificationInput {
  ResourceType?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

export const maxTagsPerResource = 50;

/** The tags a create call asks to put on a resource of `resourceType`; other resource types are an error. */
export function tagsFromSpecifications(specifications: readonly TagSpecificationInput[] | undefined, resourceType: string): Tag[] {
  return tagsByResourceType(specifications, [resourceType])[resourceType]!;
}

/** The tags a create call asks to put on each kind of resource it makes (CopyImage: the image and its snapshots). */
export function tagsByResourceType<T extends string>(
  specifications: readonly TagSpecificationInput[] | undefined,
  resourceTypes: readonly T[],
): Record<T, Tag[]> {
  const tags = Object.fromEntries(resourceTypes.map((type) => [type, [] as Tag[]])) as Record<T, Tag[]>;
  for (const specification of specifications ?? []) {
    if (!specification.ResourceType) throw Errors.missingParameter("TagSpecification.N.ResourceType");
    if (!resourceTypes.includes(specification.ResourceType as T)) {
      throw Errors.invalidParameterValue(
        `'${specification.ResourceType}' is not a valid taggable resource type for this operation. This call tags ${resourceTypes.map((type) => `'${type}'`).join(" or ")}.`,
      );
    }
    tags[specification.ResourceType as T].push(...(specification.Tags ?? []).map((tag) => ({ Key: tag.Key ?? "", Value: tag.Value ?? "" })));
  }
  for (const type of resourceTypes) validateTags(tags[type]);
  return tags;
}

/** The prefix of the tags AWS writes itself (aws:ec2launchtemplate:id, ...): no caller creates or deletes them. */
export const awsTagPrefix = "aws:";

/** CreateTags and DeleteTags refuse a key of AWS's own, as EC2 does. */
export function checkUserTagKey(key: string): void {
  if (key.toLowerCase().startsWith(awsTagPrefix)) throw Errors.invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
}

export function validateTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const { Key: key, Value: value } of tags) {
    if (key.length === 0) throw Errors.invalidParameterValue("Tag keys must not be empty.");
    if (key.length > 128) throw Errors.invalidParameterValue(`Tag key '${key.slice(0, 20)}…' is longer than the maximum of 128 characters.`);
    if (value.length > 256) throw Errors.invalidParameterValue(`The value of tag '${key}' is longer than the maximum of 256 characters.`);
    checkUserTagKey(key);
    if (seen.has(key)) throw Errors.invalidParameterValue(`Duplicate tag key '${key}' specified.`);
    seen.add(key);
  }
  if (tags.length > maxTagsPerResource) throw Errors.tagLimitExceeded();
}

/** `base` with `overrides` laid over it: an override replaces the base tag of the same key. Checked like any tag set. */
export function withTags(base: readonly Tag[], overrides: readonly Tag[]): Tag[] {
  const merged = [...base.filter((tag) => !overrides.some((o) => o.Key === tag.Key)), ...overrides];
  validateTags(merged);
  return merged;
}
