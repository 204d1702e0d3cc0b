// DescribeInstanceTypeOfferings' filter names, read from one offering.
import type { FilterSpec } from "../filters.js";

/** One instance type offered at one location: a region, a zone's name or a zone's id. */
export interface InstanceTypeOffering {
  instanceType: string;
  locationType: "region" | "availability-zone" | "availability-zone-id";
  location: string;
}

export const instanceTypeOfferingFilters: FilterSpec<InstanceTypeOffering> = {
  fields: { "instance-type": (o) => o.instanceType, location: (o) => o.location },
};
