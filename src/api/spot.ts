// Spot: RequestSpotInstances, DescribeSpotInstanceRequests, CancelSpotInstanceRequests, DescribeSpotPriceHistory, and
// the InstanceMarketOptions of RunInstances. Wire shapes only; the rules are domain/spot.ts, the market
// services/spot-market.ts.
import type {
  CancelSpotInstanceRequestsRequest,
  CancelSpotInstanceRequestsResult,
  DescribeSpotInstanceRequestsRequest,
  DescribeSpotInstanceRequestsResult,
  DescribeSpotPriceHistoryRequest,
  DescribeSpotPriceHistoryResult,
  InstanceMarketOptionsRequest,
  RequestSpotInstancesRequest,
  RequestSpotInstancesResult,
  SpotInstanceRequest as SpotInstanceRequestInfo,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import type { NetworkMembers } from "../domain/instance-network.js";
import type { BlockDeviceMapping } from "../domain/images.js";
import { definedOnly } from "../domain/objects.js";
import type { Topology } from "../domain/regions.js";
import { formatPrice, onDemandPriceOf } from "../domain/spot-price.js";
import { type SpotOptions, spotOptions } from "../domain/spot.js";
import { tagsByResourceType } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { LaunchRequest } from "../services/launch.js";
import type { SpotMarket } from "../services/spot-market.js";
import type { SpotRequestView, SpotService } from "../services/spot.js";

export function spotOperations(spot: SpotService, market: SpotMarket, topology: Topology, clock: Clock): OperationTable {
  const info = (request: SpotRequestView): SpotInstanceRequestInfo => spotRequestInfo(request, market, topology);
  const optionsOf = (input: RequestSpotInstancesRequest): SpotOptions =>
    spotOptions(
      {
        operation: "RequestSpotInstances",
        ...definedOnly({
          type: input.Type,
          interruptionBehavior: input.InstanceInterruptionBehavior,
          maxPrice: input.SpotPrice,
          validFrom: input.ValidFrom,
          validUntil: input.ValidUntil,
          blockDurationMinutes: input.BlockDurationMinutes,
          launchGroup: input.LaunchGroup,
          availabilityZoneGroup: input.AvailabilityZoneGroup,
        }),
      },
      clock.now(),
    );

  return {
    RequestSpotInstances: operation<RequestSpotInstancesRequest, RequestSpotInstancesResult>({
      validate(input) {
        optionsOf(input);
        tagsByResourceType(input.TagSpecifications, ["spot-instances-request"]);
        if (!input.LaunchSpecification) throw Errors.missingParameter("LaunchSpecification");
      },
      async handle(input, caller) {
        const tags = tagsByResourceType(input.TagSpecifications, ["spot-instances-request"])["spot-instances-request"];
        const requests = await spot.request(caller, launchOf(input), optionsOf(input), input.InstanceCount ?? 1, tags);
        return { SpotInstanceRequests: requests.map(info) };
      },
    }),

    DescribeSpotInstanceRequests: operation<DescribeSpotInstanceRequestsRequest, DescribeSpotInstanceRequestsResult>({
      validate(input) {
        if (input.SpotInstanceRequestIds?.length && input.MaxResults !== undefined)
          throw Errors.invalidParameterCombination("The parameter SpotInstanceRequestIds cannot be used with the parameter MaxResults");
      },
      async handle(input, caller) {
        const { requests, nextToken } = await spot.describe(caller, {
          ...(input.SpotInstanceRequestIds?.length ? { ids: input.SpotInstanceRequestIds } : {}),
          ...(input.Filters ? { filters: input.Filters } : {}),
          ...(input.MaxResults !== undefined ? { maxResults: input.MaxResults } : {}),
          ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
        });
        return { SpotInstanceRequests: requests.map(info), ...(nextToken ? { NextToken: nextToken } : {}) };
      },
    }),

    CancelSpotInstanceRequests: operation<CancelSpotInstanceRequestsRequest, CancelSpotInstanceRequestsResult>({
      async handle(input, caller) {
        const cancelled = await spot.cancel(caller, input.SpotInstanceRequestIds ?? []);
        return {
          CancelledSpotInstanceRequests: cancelled.map((c) => ({
            SpotInstanceRequestId: c.spotInstanceRequestId,
            // CancelledSpotInstanceRequestState has no "disabled" or "failed": what is over shows closed.
            State: c.state === "disabled" || c.state === "failed" ? "closed" : c.state,
          })),
        };
      },
    }),

    DescribeSpotPriceHistory: operation<DescribeSpotPriceHistoryRequest, DescribeSpotPriceHistoryResult>({
      validate(input) {
        if (input.AvailabilityZone && !topology.zoneId(input.AvailabilityZone)) throw Errors.invalidZone(input.AvailabilityZone);
      },
      async handle(input, caller) {
        const zone = input.AvailabilityZone ?? (input.AvailabilityZoneId ? zoneNamed(topology, caller.region, input.AvailabilityZoneId) : undefined);
        const { prices, nextToken } = await spot.priceHistory(caller, {
          ...definedOnly({
            instanceTypes: input.InstanceTypes as string[] | undefined,
            productDescriptions: input.ProductDescriptions,
            availabilityZone: zone,
            startTime: input.StartTime,
            endTime: input.EndTime,
            filters: input.Filters,
            maxResults: input.MaxResults,
            nextToken: input.NextToken,
          }),
        });
        return {
          SpotPriceHistory: prices.map((p) => ({
            AvailabilityZone: p.availabilityZone,
            AvailabilityZoneId: topology.zoneId(p.availabilityZone),
            InstanceType: p.instanceType as never,
            ProductDescription: p.productDescription as never,
            SpotPrice: p.spotPrice,
            Timestamp: p.timestamp,
          })),
          NextToken: nextToken ?? "",
        };
      },
    }),
  };
}

/** RunInstances' InstanceMarketOptions as a Spot launch; none for an On-Demand one. */
export function spotLaunchOf(market: InstanceMarketOptionsRequest | undefined, now: Date): LaunchRequest["market"] {
  if (!market) return undefined;
  if (market.MarketType !== undefined && market.MarketType !== "spot")
    throw Errors.invalidParameterValue(`The market type ${market.MarketType} is not offered by mini-ec2: use spot, or leave InstanceMarketOptions out.`);
  const options = market.SpotOptions ?? {};
  return {
    options: spotOptions(
      {
        operation: "RunInstances",
        ...definedOnly({
          type: options.SpotInstanceType,
          interruptionBehavior: options.InstanceInterruptionBehavior,
          maxPrice: options.MaxPrice,
          // A launch template's copy comes back from JSON as text.
          validUntil: options.ValidUntil !== undefined ? new Date(options.ValidUntil) : undefined,
          blockDurationMinutes: options.BlockDurationMinutes,
        }),
      },
      now,
    ),
  };
}

/** Runs the due interruptions of the caller's Region before these operations' handlers: they show instances an interruption changes. */
export function settlingFirst(table: OperationTable, spot: SpotService, names: readonly string[]): OperationTable {
  const wrapped: OperationTable = { ...table };
  for (const name of names) {
    const original = table[name];
    if (!original) continue;
    wrapped[name] = {
      ...original,
      async handle(input, context) {
        await spot.settle(context.region, "due");
        return original.handle(input, context);
      },
    };
  }
  return wrapped;
}

function zoneNamed(topology: Topology, region: string, zoneId: string): string {
  const zone = topology.region(region)?.zones.find((z) => z.zoneId === zoneId);
  if (!zone) throw Errors.invalidParameterValue(`Invalid availability zone id: [${zoneId}]`);
  return zone.zoneName;
}

function launchOf(input: RequestSpotInstancesRequest): LaunchRequest {
  const spec = input.LaunchSpecification ?? {};
  const placement = spec.Placement;
  return {
    ...definedOnly({
      imageId: spec.ImageId,
      instanceType: spec.InstanceType,
      kernelId: spec.KernelId,
      ramdiskId: spec.RamdiskId,
      keyName: spec.KeyName,
      userData: spec.UserData,
    }),
    minCount: 1,
    maxCount: 1,
    ...(placement
      ? { placement: definedOnly({ availabilityZone: placement.AvailabilityZone, groupName: placement.GroupName, tenancy: placement.Tenancy }) }
      : {}),
    blockDeviceMappings: (spec.BlockDeviceMappings ?? []) as BlockDeviceMapping[],
    instanceTags: [],
    volumeTags: [],
    options: definedOnly({
      ebsOptimized: spec.EbsOptimized,
      monitoring: spec.Monitoring?.Enabled,
      iamInstanceProfile: spec.IamInstanceProfile ? definedOnly({ arn: spec.IamInstanceProfile.Arn, name: spec.IamInstanceProfile.Name }) : undefined,
    }),
    network: definedOnly({
      SubnetId: spec.SubnetId,
      SecurityGroupIds: spec.SecurityGroupIds,
      SecurityGroups: spec.SecurityGroups,
      NetworkInterfaces: spec.NetworkInterfaces as NetworkMembers["NetworkInterfaces"],
    }),
  };
}

function spotRequestInfo(request: SpotRequestView, market: SpotMarket, topology: Topology): SpotInstanceRequestInfo {
  const launch = JSON.parse(request.launchSpecification) as LaunchRequest;
  // Without a maximum, EC2 shows the On-Demand price, the default maximum.
  const maxPrice = request.maxPrice ?? onDemandPriceOf(market.type(request.instanceType), request.productDescription);
  return {
    SpotInstanceRequestId: request.spotInstanceRequestId,
    SpotPrice: formatPrice(maxPrice),
    Type: request.type,
    State: request.state,
    Status: { Code: request.statusCode, Message: request.statusMessage, UpdateTime: request.statusUpdatedAt },
    CreateTime: request.createdAt,
    ProductDescription: request.productDescription as never,
    InstanceInterruptionBehavior: request.interruptionBehavior,
    ...(request.instanceId ? { InstanceId: request.instanceId } : {}),
    ...(request.launchedAvailabilityZone
      ? { LaunchedAvailabilityZone: request.launchedAvailabilityZone, LaunchedAvailabilityZoneId: topology.zoneId(request.launchedAvailabilityZone) }
      : {}),
    ...(request.validFrom ? { ValidFrom: request.validFrom } : {}),
    ...(request.validUntil ? { ValidUntil: request.validUntil } : {}),
    LaunchSpecification: {
      ImageId: launch.imageId,
      InstanceType: request.instanceType as never,
      ...(launch.keyName ? { KeyName: launch.keyName } : {}),
      ...(launch.placement?.availabilityZone ? { Placement: { AvailabilityZone: launch.placement.availabilityZone } } : {}),
      ...(launch.network?.SubnetId ? { SubnetId: launch.network.SubnetId } : {}),
      Monitoring: { Enabled: launch.options?.monitoring ?? false },
    },
    Tags: request.tags.length ? request.tags : undefined,
  };
}
