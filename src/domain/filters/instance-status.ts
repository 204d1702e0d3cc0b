// DescribeInstanceStatus' filter names, read from an instance's status report.
import type { FilterSpec } from "../filters.js";
import { shownDescription } from "../instance-events.js";
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
    "event.code": (s) => (s.events ?? []).map((e) => e.code),
    "event.description": (s) => (s.events ?? []).map(shownDescription),
    "event.instance-event-id": (s) => (s.events ?? []).map((e) => e.instanceEventId),
    "event.not-before": (s) => (s.events ?? []).map((e) => e.notBefore.toISOString()),
    "event.not-after": (s) => (s.events ?? []).flatMap((e) => (e.notAfter ? [e.notAfter.toISOString()] : [])),
  },
};
