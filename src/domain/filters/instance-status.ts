// DescribeInstanceStatus' filter names, read from an instance's status report.
import type { FilterSpec } from "../filters.js";
import type { InstanceStatusReport } from "../instance-status.js";
import { stateCodes } from "../instances.js";

export const instanceStatusFilters: FilterSpec<InstanceStatusReport> = {
  fields: {
    "availability-zone": (s) => s.availabilityZone,
    "instance-state-name": (s) => s.state,
    "instance-state-code": (s) => String(stateCodes[s.state]),
    "instance-status.status": (s) => s.instance.status,
    "instance-status.reachability": (s) => s.instance.reachability,
    "system-status.status": (s) => s.system.status,
    "system-status.reachability": (s) => s.system.reachability,
  },
};
