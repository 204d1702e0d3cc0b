// DescribeInstanceTypes and DescribeInstanceTypeOfferings, from the catalog and the zone offerings.
import type {
  DescribeInstanceTypeOfferingsRequest,
  DescribeInstanceTypeOfferingsResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  InstanceTypeOffering,
} from "@aws-sdk/client-ec2";
import { type InstanceTypeCatalog, instanceTypeFilters } from "../domain/catalog/instance-types.js";
import type { Offerings } from "../domain/catalog/offerings.js";
import { Errors } from "../domain/errors.js";
import { applyFilters } from "../domain/filters.js";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";

export function instanceTypeOperations(catalog: InstanceTypeCatalog, offerings: Offerings): OperationTable {
  return {
    DescribeInstanceTypes: operation<DescribeInstanceTypesRequest, DescribeInstanceTypesResult>({
      handle(input, caller) {
        const requested = input.InstanceTypes ?? [];
        const unknown = requested.filter((name) => !catalog.get(name));
        if (unknown.length > 0) throw Errors.invalidInstanceTypes(unknown);
        const offered = new Set(offerings.typesInRegion(caller.region));
        const candidates = requested.length
          ? catalog.all.filter((type) => requested.includes(type.InstanceType!))
          : catalog.all.filter((type) => input.IncludeUnsupportedInRegion === true || offered.has(type.InstanceType!));
        const page = paginate(applyFilters(candidates, input.Filters, instanceTypeFilters), (t) => t.InstanceType!, input, 100);
        return { InstanceTypes: page.items, NextToken: page.nextToken };
      },
    }),

    DescribeInstanceTypeOfferings: operation<DescribeInstanceTypeOfferingsRequest, DescribeInstanceTypeOfferingsResult>({
      handle(input, caller) {
        const locationType = input.LocationType ?? "region";
        if (locationType === "outpost") throw Errors.invalidParameterValue("mini-ec2 does not model Outposts. Use region, availability-zone or availability-zone-id.");
        const rows: InstanceTypeOffering[] = [];
        for (const instanceType of offerings.typesInRegion(caller.region).sort()) {
          const zones = offerings.zonesOffering(caller.region, instanceType);
          if (locationType === "region") {
            if (zones.length > 0) rows.push({ InstanceType: instanceType as InstanceTypeOffering["InstanceType"], LocationType: "region", Location: caller.region });
            continue;
          }
          for (const zone of zones) {
            const location = locationType === "availability-zone" ? zone.zoneName : zone.zoneId;
            rows.push({ InstanceType: instanceType as InstanceTypeOffering["InstanceType"], LocationType: locationType, Location: location });
          }
        }
        const matching = applyFilters(rows, input.Filters, { fields: { "instance-type": (o) => o.InstanceType, location: (o) => o.Location } });
        const page = paginate(matching, (o) => `${o.InstanceType}\u0000${o.Location}`, input, 1000);
        return { InstanceTypeOfferings: page.items, NextToken: page.nextToken };
      },
    }),
  };
}
