// DescribeInstanceCreditSpecifications' one filter name, read from an instance's credit specification.
import type { FilterSpec } from "../filters.js";

export const instanceCreditFilters: FilterSpec<{ instanceId: string; cpuCredits: string }> = {
  fields: {
    "instance-id": (s) => s.instanceId,
  },
};
