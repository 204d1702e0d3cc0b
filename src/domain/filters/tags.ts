// DescribeTags' filter names, read from one tag of one resource.
import type { FilterSpec } from "../filters.js";

/** One tag on one resource, as DescribeTags lists it. */
export interface ResourceTag {
  resourceId: string;
  resourceType: string;
  key: string;
  value: string;
}

export const resourceTagFilters: FilterSpec<ResourceTag> = {
  fields: { key: (t) => t.key, value: (t) => t.value, "resource-id": (t) => t.resourceId, "resource-type": (t) => t.resourceType },
};
