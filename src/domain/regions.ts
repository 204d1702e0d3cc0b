// The regions and availability zones mini-ec2 serves (config/regions.json): what DescribeRegions and
// DescribeAvailabilityZones report, and where placement puts things.
export interface Zone {
  zoneName: string;
  zoneId: string;
}

export interface Region {
  regionName: string;
  optInStatus: "opt-in-not-required" | "opted-in";
  zones: Zone[];
}

/** What EC2 reports of every zone mini-ec2 models: a plain availability zone, needing no opt-in, always available. */
export const zoneFacts = { optInStatus: "opt-in-not-required", zoneType: "availability-zone", state: "available" } as const;

export class Topology {
  private readonly byName: Map<string, Region>;
  private readonly zoneIds: Map<string, string>;

  constructor(readonly regions: readonly Region[]) {
    this.byName = new Map(regions.map((region) => [region.regionName, region]));
    this.zoneIds = new Map(regions.flatMap((region) => region.zones.map((zone) => [zone.zoneName, zone.zoneId] as const)));
  }

  region(name: string): Region | undefined {
    return this.byName.get(name);
  }

  /** The zone id (use1-az1) of a zone name (us-east-1a). */
  zoneId(zoneName: string): string | undefined {
    return this.zoneIds.get(zoneName);
  }

  /** The service endpoint host of a region, as EC2 reports it. */
  static endpoint(regionName: string): string {
    return `ec2.${regionName}.amazonaws.com`;
  }
}

export function parseTopology(json: unknown, source: string): Topology {
  const regions = (json as { regions?: unknown }).regions;
  if (!Array.isArray(regions) || regions.length === 0) throw new Error(`${source}: "regions" must be a non-empty list`);
  for (const region of regions as Region[]) {
    if (typeof region.regionName !== "string" || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region.regionName)) {
      throw new Error(`${source}: bad regionName ${JSON.stringify(region.regionName)}`);
    }
    if (!Array.isArray(region.zones) || region.zones.length === 0) throw new Error(`${source}: ${region.regionName} has no zones`);
    for (const zone of region.zones) {
      if (!zone.zoneName?.startsWith(region.regionName) || !zone.zoneId) {
        throw new Error(`${source}: ${region.regionName} has a bad zone ${JSON.stringify(zone)}`);
      }
    }
  }
  return new Topology(regions as Region[]);
}
