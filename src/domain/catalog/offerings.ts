// Which instance types each availability zone offers (src/domain/catalog/data/offerings.json): some types are
// missing from some zones, as in real regions.
import type { Topology, Zone } from "../regions.js";

export interface OfferingsData {
  [region: string]: { types: Record<string, string[]> };
}

export class Offerings {
  private loaded: OfferingsData | undefined;

  /** The offerings, or how to read them: read on first use, so a start does not parse them. */
  constructor(
    private readonly source: OfferingsData | (() => OfferingsData),
    private readonly topology: Topology,
  ) {}

  private get data(): OfferingsData {
    this.loaded ??= typeof this.source === "function" ? this.source() : this.source;
    return this.loaded;
  }

  /** The zones of `region` that offer `instanceType` (none when the region does not offer it). */
  zonesOffering(region: string, instanceType: string): Zone[] {
    const letters = this.data[region]?.types[instanceType] ?? [];
    const zones = this.topology.region(region)?.zones ?? [];
    return zones.filter((zone) => letters.includes(zone.zoneName.slice(region.length)));
  }

  typesInRegion(region: string): string[] {
    return Object.keys(this.data[region]?.types ?? {});
  }
}
