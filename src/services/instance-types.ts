// DescribeInstanceTypes and DescribeInstanceTypeOfferings: the catalog and the zone offerings, as a caller asks for them.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { Caller } from "../domain/caller.js";
import { type InstanceTypeCatalog, instanceTypeFilters } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import { Errors } from "../domain/errors.js";
import { type CpuShape, cpuOptions } from "../domain/instance-options.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type InstanceTypeOffering, instanceTypeOfferingFilters } from "../domain/filters/instance-type-offerings.js";

export class InstanceTypeService {
  constructor(
    private readonly catalog: InstanceTypeCatalog,
    private readonly offerings: Offerings,
  ) {}

  /** The cores and threads per core an instance of the type runs with unless its launch chose others. */
  defaultCpu(instanceType: string): CpuShape | undefined {
    const type = this.catalog.get(instanceType);
    return type ? cpuOptions({}, type) : undefined;
  }

  /** These types (each must exist), or those the caller's region offers (all with includeUnsupported), that match the filters. */
  describe(caller: Caller, query: { instanceTypes?: readonly string[]; includeUnsupported?: boolean; filters?: readonly Filter[] }): InstanceTypeInfo[] {
    const requested = query.instanceTypes ?? [];
    const unknown = requested.filter((name) => !this.catalog.get(name));
    if (unknown.length > 0) throw Errors.invalidInstanceTypes(unknown);
    const offered = new Set(this.offerings.typesInRegion(caller.region));
    const candidates = requested.length
      ? this.catalog.all.filter((type) => requested.includes(type.InstanceType!))
      : this.catalog.all.filter((type) => query.includeUnsupported === true || offered.has(type.InstanceType!));
    return applyFilters(candidates, query.filters, instanceTypeFilters);
  }

  /** Where the caller's region offers each type, by region, zone name or zone id, that match the filters. */
  offered(caller: Caller, locationType: string, filters?: readonly Filter[]): InstanceTypeOffering[] {
    if (locationType === "outpost")
      throw Errors.invalidParameterValue("mini-ec2 does not model Outposts. Use region, availability-zone or availability-zone-id.");
    const rows: InstanceTypeOffering[] = [];
    for (const instanceType of this.offerings.typesInRegion(caller.region).sort()) {
      const zones = this.offerings.zonesOffering(caller.region, instanceType);
      if (locationType === "region") {
        if (zones.length > 0) rows.push({ instanceType, locationType: "region", location: caller.region });
        continue;
      }
      for (const zone of zones) {
        const location = locationType === "availability-zone" ? zone.zoneName : zone.zoneId;
        rows.push({ instanceType, locationType: locationType as InstanceTypeOffering["locationType"], location });
      }
    }
    return applyFilters(rows, filters, instanceTypeOfferingFilters);
  }
}
