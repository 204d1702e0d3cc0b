// DescribeSpotInstanceRequests' and DescribeSpotPriceHistory's filter names, read from a request or a price entry.
import type { FilterSpec } from "../filters.js";
import type { PriceEntry } from "../spot-price.js";
import type { SpotRequest } from "../spot.js";
import type { Tag } from "../tags.js";

export const spotRequestFilters: FilterSpec<SpotRequest & { tags: Tag[] }> = {
  fields: {
    "availability-zone-group": () => undefined,
    "create-time": (r) => r.createdAt.toISOString(),
    "instance-id": (r) => r.instanceId,
    "launch-group": () => undefined,
    "launch.instance-type": (r) => r.instanceType,
    "launch.image-id": (r) => (JSON.parse(r.launchSpecification) as { imageId?: string }).imageId,
    "launched-availability-zone": (r) => r.launchedAvailabilityZone,
    "product-description": (r) => r.productDescription,
    "spot-instance-request-id": (r) => r.spotInstanceRequestId,
    "spot-price": (r) => (r.maxPrice !== undefined ? r.maxPrice.toFixed(6) : undefined),
    state: (r) => r.state,
    "status-code": (r) => r.statusCode,
    "status-message": (r) => r.statusMessage,
    type: (r) => r.type,
    "valid-from": (r) => r.validFrom?.toISOString(),
    "valid-until": (r) => r.validUntil?.toISOString(),
    "instance-interruption-behavior": (r) => r.interruptionBehavior,
  },
  tags: (r) => r.tags,
};

export const spotPriceFilters: FilterSpec<PriceEntry> = {
  fields: {
    "availability-zone": (e) => e.availabilityZone,
    "instance-type": (e) => e.instanceType,
    "product-description": (e) => e.productDescription,
    "spot-price": (e) => e.spotPrice,
    timestamp: (e) => e.timestamp.toISOString(),
  },
};
