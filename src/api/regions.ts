// DescribeRegions and DescribeAvailabilityZones, from the one topology (config/regions.json).
import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeRegionsRequest,
  DescribeRegionsResult,
  Region as RegionInfo,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import { applyFilters } from "../domain/filters.js";
import { Topology } from "../domain/regions.js";
import { type OperationTable, operation } from "../protocol/operation.js";

export function regionOperations(topology: Topology): OperationTable {
  return {
    DescribeRegions: operation<DescribeRegionsRequest, DescribeRegionsResult>({
      handle(input) {
        const unknown = (input.RegionNames ?? []).filter((name) => !topology.region(name));
        if (unknown.length > 0) throw Errors.invalidRegionNames(unknown);
        const wanted = input.RegionNames?.length ? new Set(input.RegionNames) : undefined;
        const regions: RegionInfo[] = topology.regions
          .filter((region) => !wanted || wanted.has(region.regionName))
          .map((region) => ({ RegionName: region.regionName, Endpoint: Topology.endpoint(region.regionName), OptInStatus: region.optInStatus }));
        return {
          Regions: applyFilters(regions, input.Filters, {
            fields: { endpoint: (r) => r.Endpoint, "opt-in-status": (r) => r.OptInStatus, "region-name": (r) => r.RegionName },
          }),
        };
      },
    }),

    DescribeAvailabilityZones: operation<DescribeAvailabilityZonesRequest, DescribeAvailabilityZonesResult>({
      handle(input, context) {
        const region = topology.region(context.region)!;
        const unknownNames = (input.ZoneNames ?? []).filter((name) => !region.zones.some((z) => z.zoneName === name));
        if (unknownNames.length > 0) throw Errors.invalidAvailabilityZones(unknownNames);
        const unknownIds = (input.ZoneIds ?? []).filter((id) => !region.zones.some((z) => z.zoneId === id));
        if (unknownIds.length > 0) throw Errors.invalidZoneIds(unknownIds);
        const names = input.ZoneNames?.length ? new Set(input.ZoneNames) : undefined;
        const ids = input.ZoneIds?.length ? new Set(input.ZoneIds) : undefined;
        const zones: AvailabilityZone[] = region.zones
          .filter((zone) => (!names && !ids) || names?.has(zone.zoneName) || ids?.has(zone.zoneId))
          .map((zone) => ({
            OptInStatus: "opt-in-not-required",
            Messages: [],
            RegionName: region.regionName,
            ZoneName: zone.zoneName,
            ZoneId: zone.zoneId,
            GroupName: region.regionName,
            NetworkBorderGroup: region.regionName,
            ZoneType: "availability-zone",
            State: "available",
          }));
        return {
          AvailabilityZones: applyFilters(zones, input.Filters, {
            fields: {
              "group-name": (z) => z.GroupName,
              "network-border-group": (z) => z.NetworkBorderGroup,
              "opt-in-status": (z) => z.OptInStatus,
              "region-name": (z) => z.RegionName,
              state: (z) => z.State,
              "zone-id": (z) => z.ZoneId,
              "zone-name": (z) => z.ZoneName,
              "zone-type": (z) => z.ZoneType,
            },
          }),
        };
      },
    }),
  };
}
