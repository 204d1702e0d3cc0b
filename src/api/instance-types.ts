// DescribeInstanceTypes and DescribeInstanceTypeOfferings, from the catalog and the zone offerings.
import type {
  DescribeInstanceTypeOfferingsRequest,
  DescribeInstanceTypeOfferingsResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  InstanceTypeOffering as InstanceTypeOfferingInfo,
} from "@aws-sdk/client-ec2";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceTypeService } from "../services/instance-types.js";

export function instanceTypeOperations(instanceTypes: InstanceTypeService): OperationTable {
  return {
    DescribeInstanceTypes: operation<DescribeInstanceTypesRequest, DescribeInstanceTypesResult>({
      handle(input, caller) {
        const found = instanceTypes.describe(caller, {
          instanceTypes: input.InstanceTypes,
          includeUnsupported: input.IncludeUnsupportedInRegion,
          filters: input.Filters,
        });
        const page = paginate(found, (t) => t.InstanceType!, input, 100);
        return { InstanceTypes: page.items, NextToken: page.nextToken };
      },
    }),

    DescribeInstanceTypeOfferings: operation<DescribeInstanceTypeOfferingsRequest, DescribeInstanceTypeOfferingsResult>({
      handle(input, caller) {
        const found = instanceTypes.offered(caller, input.LocationType ?? "region", input.Filters);
        const page = paginate(found, (o) => `${o.instanceType}\u0000${o.location}`, input, 1000);
        return {
          InstanceTypeOfferings: page.items.map((o) => ({
            InstanceType: o.instanceType as InstanceTypeOfferingInfo["InstanceType"],
            LocationType: o.locationType,
            Location: o.location,
          })),
          NextToken: page.nextToken,
        };
      },
    }),
  };
}
