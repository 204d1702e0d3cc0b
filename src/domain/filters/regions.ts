// DescribeRegions' and DescribeAvailabilityZones' filter names, read from the topology.
import type { FilterSpec } from "../filters.js";
import { type Region, Topology, type Zone, zoneFacts } from "../regions.js";

export const regionFilters: FilterSpec<Region> = {
  fields: { endpoint: (r) => Topology.endpoint(r.regionName), "opt-in-status": (r) => r.optInStatus, "region-name": (r) => r.regionName },
};

/** A zone's group and network border group are its region. */
export function zoneFilters(region: Region): FilterSpec<Zone> {
  return {
    fields: {
      "group-name": () => region.regionName,
      "network-border-group": () => region.regionName,
      "opt-in-status": () => zoneFacts.optInStatus,
      "region-name": () => region.regionName,
      state: () => zoneFacts.state,
      "zone-id": (z) => z.zoneId,
      "zone-name": (z) => z.zoneName,
      "zone-type": () => zoneFacts.zoneType,
    },
  };
}
