// DescribeVolumeStatus' filter names. There are no volume events or actions here, so the event.* and action.*
// filters are valid names that match nothing.
import type { FilterSpec } from "../filters.js";
import type { VolumeStatusReport } from "../volume-status.js";

const noEvents = () => undefined;

export const volumeStatusFilters: FilterSpec<VolumeStatusReport> = {
  fields: {
    "action.code": noEvents,
    "action.description": noEvents,
    "action.event-id": noEvents,
    "availability-zone": (r) => r.availabilityZone,
    "event.description": noEvents,
    "event.event-id": noEvents,
    "event.event-type": noEvents,
    "event.not-after": noEvents,
    "event.not-before": noEvents,
    "volume-status.details-name": (r) => r.details.map((d) => d.name),
    "volume-status.details-status": (r) => r.details.map((d) => d.status),
    "volume-status.status": (r) => r.status,
  },
};
