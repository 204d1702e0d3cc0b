// DescribeRegions and DescribeAvailabilityZones: the topology (config/regions.json) as a caller asks for it.
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { regionFilters, zoneFilters } from "../domain/filters/regions.js";
import type { Region, Topology, Zone } from "../domain/regions.js";

export class RegionService {
  constructor(private readonly topology: Topology) {}

  /** These regions (each must exist), or all, that match the filters. */
  regions(names: readonly string[] | undefined, filters?: readonly Filter[]): Region[] {
    const unknown = (names ?? []).filter((name) => !this.topology.region(name));
    if (unknown.length > 0) throw Errors.invalidRegionNames(unknown);
    const wanted = names?.length ? new Set(names) : undefined;
    return applyFilters(
      this.topology.regions.filter((region) => !wanted || wanted.has(region.regionName)),
      filters,
      regionFilters,
    );
  }

  /** The zones of the caller's region with these names or ids (each must exist), or all, that match the filters. */
  zones(regionName: string, query: { names?: readonly string[]; ids?: readonly string[]; filters?: readonly Filter[] }): { region: Region; zones: Zone[] } {
    const region = this.topology.region(regionName)!;
    const unknownNames = (query.names ?? []).filter((name) => !region.zones.some((z) => z.zoneName === name));
    if (unknownNames.length > 0) throw Errors.invalidAvailabilityZones(unknownNames);
    const unknownIds = (query.ids ?? []).filter((id) => !region.zones.some((z) => z.zoneId === id));
    if (unknownIds.length > 0) throw Errors.invalidZoneIds(unknownIds);
    const names = query.names?.length ? new Set(query.names) : undefined;
    const ids = query.ids?.length ? new Set(query.ids) : undefined;
    const zones = region.zones.filter((zone) => (!names && !ids) || names?.has(zone.zoneName) || ids?.has(zone.zoneId));
    return { region, zones: applyFilters(zones, query.filters, zoneFilters(region)) };
  }
}
