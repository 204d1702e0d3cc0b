// DescribeRegions and DescribeAvailabilityZones, from the one topology (config/regions.json).
import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
  DescribeRegionsRequest,
  DescribeRegionsResult,
  Region as RegionInfo,
} from "@aws-sdk/client-ec2";
import { type Region, Topology, type Zone, zoneFacts } from "../domain/regions.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { RegionService } from "../services/regions.js";

export function regionOperations(regions: RegionService): OperationTable {
  return {
    DescribeRegions: operation<DescribeRegionsRequest, DescribeRegionsResult>({
      handle(input) {
        return { Regions: regions.regions(input.RegionNames, input.Filters).map(regionInfo) };
      },
    }),

    DescribeAvailabilityZones: operation<DescribeAvailabilityZonesRequest, DescribeAvailabilityZonesResult>({
      handle(input, context) {
        const { region, zones } = regions.zones(context.region, { names: input.ZoneNames, ids: input.ZoneIds, filters: input.Filters });
        return { AvailabilityZones: zones.map((zone) => zoneInfo(region, zone)) };
      },
    }),
  };
}

function regionInfo(region: Region): RegionInfo {
  return { RegionName: region.regionName, Endpoint: Topology.endpoint(region.regionName), OptInStatus: region.optInStatus };
}

function zoneInfo(region: Region, zone: Zone): AvailabilityZone {
  return {
    OptInStatus: zoneFacts.optInStatus,
    Messages: [],
    RegionName: region.regionName,
    ZoneName: zone.zoneName,
    ZoneId: zone.zoneId,
    GroupName: region.regionName,
    NetworkBorderGroup: region.regionName,
    ZoneType: zoneFacts.zoneType,
    State: zoneFacts.state,
  };
}
