// Spot Instance requests: RequestSpotInstances, DescribeSpotInstanceRequests, CancelSpotInstanceRequests and
// DescribeSpotPriceHistory, and the settle that brings a Region's requests up to the clock: interruptions whose
// notice has run out act, prices above a request's maximum interrupt, instances ended or stopped by their owner
// move their request, and waiting requests are fulfilled when room and price allow. Nothing ticks: each read settles
// first (docs/spot.md).
import type { Caller, Scope } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Ec2Error, Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { spotPriceFilters, spotRequestFilters } from "../domain/filters/spot-requests.js";
import { footprintOf } from "../domain/fleet.js";
import { currentState, type InstanceStateName } from "../domain/instances.js";
import { paginate } from "../domain/pagination.js";
import {
  formatPrice,
  isProductDescription,
  type PriceEntry,
  type ProductDescription,
  productDescriptions,
  productOf,
  spotHistoryDays,
  withLicence,
} from "../domain/spot-price.js";
import {
  afterInterruption,
  awaitsCapacity,
  cancelled,
  interruptionStateReason,
  isWellFormedSpotRequestId,
  newSpotRequestId,
  type SpotOptions,
  type SpotRequest,
  withStatus,
} from "../domain/spot.js";
import type { Tag } from "../domain/tags.js";
import type { FleetRepo } from "../store/fleet-repo.js";
import type { InstancesRepo } from "../store/instances-repo.js";
import type { SpotRepo } from "../store/spot-repo.js";
import { housekeeping } from "../store/write-barrier.js";
import { type LaunchRequest, type LaunchService, launchSpecificationOf } from "./launch.js";
import type { SpotMarket } from "./spot-market.js";

export interface SpotDeps {
  repo: SpotRepo;
  market: SpotMarket;
  launcher: LaunchService;
  instances: InstancesRepo;
  fleet: FleetRepo;
  clock: Clock;
  delays: Delays;
  /** The Region's zones that offer a type, for the price history's default. */
  zonesOffering(region: string, instanceType: string): string[];
  /** When the simulated fleet began: the history starts no earlier. */
  originMs: number;
}

export type SpotRequestView = SpotRequest & { tags: Tag[] };

/** Requests one RequestSpotInstances call may make (chosen: EC2's limit is the account's Spot vCPU quota). */
const maxInstanceCount = 1000;

export interface PriceQuery {
  instanceTypes?: string[];
  productDescriptions?: string[];
  availabilityZone?: string;
  startTime?: Date;
  endTime?: Date;
  filters?: Filter[];
  maxResults?: number;
  nextToken?: string;
}

export class SpotService {
  private settling: Promise<void> | undefined;

  constructor(private readonly deps: SpotDeps) {}

  /** RequestSpotInstances: one request per instance, checked as RunInstances checks a launch, then evaluated at once. */
  async request(caller: Caller, launch: LaunchRequest, options: SpotOptions, count: number, tags: Tag[]): Promise<SpotRequestView[]> {
    const { deps } = this;
    if (!launch.imageId) throw Errors.missingParameter("LaunchSpecification.ImageId");
    if (count < 1) throw Errors.invalidParameterValue(`Value (${count}) for parameter InstanceCount is invalid. Expecting a value greater than 0.`);
    if (count > maxInstanceCount) throw Errors.maxSpotInstanceCountExceeded(count, maxInstanceCount);
    const { platform } = await deps.launcher.check(caller, { ...launch, minCount: 1, maxCount: count, market: { options } });
    const type = deps.market.type(launch.instanceType ?? "m1.small");
    const now = deps.clock.now();
    const requests: SpotRequest[] = Array.from({ length: count }, () => ({
      spotInstanceRequestId: newSpotRequestId(),
      accountId: caller.accountId,
      region: caller.region,
      type: options.type,
      ...withStatus("open", "pending-evaluation", now),
      createdAt: now,
      ...(options.maxPrice !== undefined ? { maxPrice: options.maxPrice } : {}),
      interruptionBehavior: options.interruptionBehavior,
      ...(options.validFrom ? { validFrom: options.validFrom } : {}),
      ...(options.validUntil ? { validUntil: options.validUntil } : {}),
      instanceType: type.InstanceType!,
      productDescription: productOf(platform),
      ...(launch.placement?.availabilityZone ? { availabilityZone: launch.placement.availabilityZone } : {}),
      launchSpecification: launchSpecificationOf({ ...launch, instanceType: type.InstanceType! }),
      footprint: footprintOf(type),
      fromRunInstances: false,
    }));
    await deps.repo.insert(requests, tags);
    // EC2 answers with the requests as submitted; the evaluation that follows shows in DescribeSpotInstanceRequests.
    await this.settle(caller.region);
    return requests.map((request) => ({ ...request, tags }));
  }

  async describe(
    caller: Caller,
    query: { ids?: string[]; filters?: Filter[]; maxResults?: number; nextToken?: string },
  ): Promise<{ requests: SpotRequestView[]; nextToken?: string }> {
    await this.settle(caller.region);
    const requests = query.ids?.length ? this.find(caller, query.ids) : this.deps.repo.list(caller);
    const matching = applyFilters(requests, query.filters, spotRequestFilters);
    if (query.ids?.length) return { requests: matching };
    const page = paginate(matching, (r) => r.spotInstanceRequestId, { MaxResults: query.maxResults, NextToken: query.nextToken }, 1000);
    return { requests: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /** CancelSpotInstanceRequests: the requests end; their instances run on (EC2 leaves them to the caller). */
  async cancel(caller: Caller, ids: string[]): Promise<Array<{ spotInstanceRequestId: string; state: SpotRequest["state"] }>> {
    await this.settle(caller.region);
    const found = this.find(caller, ids);
    const now = this.deps.clock.now();
    const answer: Array<{ spotInstanceRequestId: string; state: SpotRequest["state"] }> = [];
    for (const request of found) {
      const change = cancelled(request, now);
      if (change) await this.deps.repo.update(request.spotInstanceRequestId, change);
      answer.push({ spotInstanceRequestId: request.spotInstanceRequestId, state: change?.state ?? request.state });
    }
    return answer;
  }

  /** DescribeSpotPriceHistory: the price steps of each type and zone in the window, newest first. */
  async priceHistory(caller: Caller, query: PriceQuery): Promise<{ prices: PriceEntry[]; nextToken?: string }> {
    const { deps } = this;
    await deps.fleet.ensureSeeded(caller.region);
    await this.settle(caller.region);
    const now = deps.clock.now();
    const end = Math.min(query.endTime?.getTime() ?? now.getTime(), now.getTime());
    // Without a start, the price in effect at the end; never further back than the history EC2 keeps.
    const start = Math.max(query.startTime?.getTime() ?? end, now.getTime() - spotHistoryDays * 24 * 3600 * 1000);
    if (query.startTime && query.endTime && start > end) throw Errors.invalidParameterValue("The start time must be before the end time.");
    for (const name of query.instanceTypes ?? []) deps.market.type(name);
    const types = query.instanceTypes?.length ? query.instanceTypes : [...new Set(deps.repo.list(caller).map((r) => r.instanceType))];
    // Without ProductDescriptions, every product: the product-description filter narrows them (docs/decisions.md).
    const products = (query.productDescriptions?.length ? query.productDescriptions : productDescriptions).filter(isProductDescription);
    const entries: PriceEntry[] = [];
    for (const instanceType of types) {
      const type = deps.market.type(instanceType);
      const zones = deps.zonesOffering(caller.region, instanceType).filter((z) => !query.availabilityZone || z === query.availabilityZone);
      for (const zone of zones) {
        for (const point of deps.market.history(zone, type, start, end, deps.originMs)) {
          for (const productDescription of products) {
            const spotPrice = formatPrice(withLicence(point.price, type, productDescription));
            entries.push({ availabilityZone: zone, instanceType, productDescription, spotPrice, timestamp: new Date(point.at) });
          }
        }
      }
    }
    const filtered = applyFilters(entries, query.filters, spotPriceFilters);
    // Newest first, as EC2 lists them; the key makes the order total for the page token.
    const keyOf = (e: PriceEntry) =>
      `${String(9e15 - e.timestamp.getTime()).padStart(16, "0")}|${e.availabilityZone}|${e.instanceType}|${e.productDescription}`;
    filtered.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    const page = paginate(filtered, keyOf, { MaxResults: query.maxResults, NextToken: query.nextToken }, 1000);
    return { prices: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  }

  /**
   * Brings the Region's requests up to the clock; one settle at a time (a second caller waits for the first). `due`:
   * only the interruptions whose notice has run out (one indexed read; what DescribeInstances needs to show the
   * instances' states), not the price checks and evaluations, which read every live request.
   */
  async settle(region: string, only: "all" | "due" = "all"): Promise<void> {
    while (this.settling !== undefined) await this.settling;
    if (only === "all" && !this.deps.repo.hasLive(region)) return;
    // The Region's interruptions and evaluations are the world a request meets, not its own change: a dry run
    // settles them too, and still decides by its own checks.
    this.settling = housekeeping(() => this.settleNow(region, only)).finally(() => {
      this.settling = undefined;
    });
    await this.settling;
  }

  private async settleNow(region: string, only: "all" | "due"): Promise<void> {
    const { deps } = this;
    const now = deps.clock.now();
    const live = only === "due" ? deps.repo.due(region, now) : deps.repo.live(region);
    const instances = deps.repo.instances(live.flatMap((r) => (r.instanceId ? [r.instanceId] : [])));
    const prices = new Map<string, number>();
    const priceOf = (zone: string, instanceType: string, product: ProductDescription) => {
      const key = `${zone}|${instanceType}|${product}`;
      if (!prices.has(key)) prices.set(key, deps.market.priceNow(zone, deps.market.type(instanceType), product));
      return prices.get(key)!;
    };
    for (const request of live) {
      const stored = request.instanceId ? instances.get(request.instanceId) : undefined;
      const state = stored ? currentState(stored as { state: InstanceStateName; transitionEndsAt: Date }, now) : undefined;
      if (request.actionAt) {
        if (request.actionAt.getTime() <= now.getTime()) await this.act(request, state);
        continue;
      }
      if (request.state === "active") {
        const moved = byOwner(request, state, now);
        if (moved) {
          await deps.repo.update(request.spotInstanceRequestId, moved);
          if (moved.state === "open") await this.fulfil({ ...request, ...moved });
          continue;
        }
        const price = priceOf(request.launchedAvailabilityZone!, request.instanceType, request.productDescription);
        // The maximum defaults to the On-Demand price, which the Spot price never passes.
        if (request.maxPrice !== undefined && price > request.maxPrice) {
          await deps.repo.interrupt(request, "by-price", now);
          prices.clear();
        }
        continue;
      }
      if (request.state === "disabled" && request.statusCode === "instance-stopped-by-user") {
        if (state === "pending" || state === "running") await deps.repo.update(request.spotInstanceRequestId, withStatus("active", "fulfilled", now));
        continue;
      }
      if (request.validUntil && request.validUntil.getTime() <= now.getTime()) {
        await deps.repo.update(request.spotInstanceRequestId, withStatus("cancelled", "schedule-expired", now));
        continue;
      }
      if (request.validFrom && request.validFrom.getTime() > now.getTime()) continue;
      if (awaitsCapacity(request, now)) {
        if (request.state === "disabled") await this.restart(request, state);
        else await this.fulfil(request);
        prices.clear();
      }
    }
  }

  /** The notice has run out: the instance is terminated or stopped at the notice's end, and the request follows. */
  private async act(request: SpotRequest, state: InstanceStateName | undefined): Promise<void> {
    const { deps } = this;
    const at = request.actionAt!;
    const scope: Scope = { accountId: request.accountId, region: request.region };
    const stillRunning = state === "pending" || state === "running";
    if (stillRunning) {
      const terminate = request.interruptionBehavior === "terminate";
      const durationMs = terminate ? deps.delays.instanceShuttingDownMs : deps.delays.instanceStoppingMs;
      await deps.instances.transition(
        [
          {
            instanceId: request.instanceId!,
            data: {
              state: terminate ? "shutting-down" : "stopping",
              stateChangedAt: at,
              transitionEndsAt: new Date(at.getTime() + durationMs),
              stateReason: interruptionStateReason(request.interruptionBehavior),
            },
            ...(terminate ? { releaseVolumesAt: at, releaseInterfaces: true } : {}),
          },
        ],
        scope,
      );
    }
    const after = stillRunning ? afterInterruption(request, at) : (byOwner(request, state, at) ?? afterInterruption(request, at));
    const reopened = after.state === "open";
    await deps.repo.update(request.spotInstanceRequestId, {
      ...after,
      actionAt: undefined,
      ...(reopened ? { instanceId: undefined, launchedAvailabilityZone: undefined, noticeAt: undefined, cause: undefined } : {}),
    });
  }

  /** Launches the request's instance if room and price allow; otherwise the request says why it waits. */
  private async fulfil(request: SpotRequest): Promise<void> {
    const { deps } = this;
    const launch = JSON.parse(request.launchSpecification) as LaunchRequest;
    const type = deps.market.type(request.instanceType);
    // Cheap first: a zone asked for with no room cannot be fulfilled, whatever the price.
    if (request.availabilityZone && !(await deps.fleet.hasRoom(request.availabilityZone, deps.market.classesOf(type), footprintOf(type)))) {
      await this.hold(request, "capacity-not-available");
      return;
    }
    const caller: Caller = { accountId: request.accountId, region: request.region, accessKeyId: "" };
    const options: SpotOptions = {
      type: request.type,
      interruptionBehavior: request.interruptionBehavior,
      ...(request.maxPrice !== undefined ? { maxPrice: request.maxPrice } : {}),
    };
    try {
      await deps.launcher.run(caller, { ...launch, minCount: 1, maxCount: 1, market: { options, requestId: request.spotInstanceRequestId } });
    } catch (error) {
      if (!(error instanceof Ec2Error)) throw error;
      if (error.code === "InsufficientInstanceCapacity") await this.hold(request, "capacity-not-available");
      else if (error.code === "SpotMaxPriceTooLow") await this.hold(request, "price-too-low", error.message);
      // Anything else (an image deregistered since): the request can never be fulfilled.
      else
        await deps.repo.update(request.spotInstanceRequestId, {
          state: "failed",
          statusCode: "bad-parameters",
          statusMessage: error.message,
          statusUpdatedAt: deps.clock.now(),
        });
    }
  }

  /** A persistent request's instance stopped by an interruption starts again where it stopped, when room and price allow. */
  private async restart(request: SpotRequest, state: InstanceStateName | undefined): Promise<void> {
    const { deps } = this;
    if (state !== "stopped") return;
    const now = deps.clock.now();
    const type = deps.market.type(request.instanceType);
    const zone = request.launchedAvailabilityZone!;
    if (request.maxPrice !== undefined && deps.market.priceNow(zone, type, request.productDescription) > request.maxPrice)
      return this.hold(request, "price-too-low");
    const serverId = await deps.instances.restart(
      { accountId: request.accountId, region: request.region },
      request.instanceId!,
      { availabilityZone: zone, hostClasses: deps.market.classesOf(type), footprint: request.footprint },
      { state: "pending", stateChangedAt: now, transitionEndsAt: new Date(now.getTime() + deps.delays.instancePendingMs), stateReason: "" },
    );
    if (!serverId) return;
    await deps.repo.update(request.spotInstanceRequestId, { ...withStatus("active", "fulfilled", now), noticeAt: undefined, cause: undefined });
  }

  private async hold(request: SpotRequest, code: "capacity-not-available" | "price-too-low", message?: string): Promise<void> {
    if (request.statusCode === code && request.state === "open") return;
    await this.deps.repo.update(request.spotInstanceRequestId, withStatus("open", code, this.deps.clock.now(), message));
  }

  /** These requests of the caller, all of them, or EC2's errors for a malformed or unknown id. */
  private find(caller: Caller, ids: readonly string[]): SpotRequestView[] {
    for (const id of ids) if (!isWellFormedSpotRequestId(id)) throw Errors.spotRequestMalformed(id);
    const found = this.deps.repo.list(caller, [...new Set(ids)]);
    const missing = ids.find((id) => !found.some((r) => r.spotInstanceRequestId === id));
    if (missing) throw Errors.spotRequestNotFound(missing);
    return found;
  }
}

/** An active request whose instance its owner terminated or stopped (spot-request-status: the -by-user codes). */
function byOwner(request: SpotRequest, state: InstanceStateName | undefined, now: Date): Partial<SpotRequest> | undefined {
  if (state === undefined || state === "terminated" || state === "shutting-down") {
    // A persistent request opens again and launches a new instance.
    const reopen = request.type === "persistent" && !request.fromRunInstances;
    return {
      ...withStatus(reopen ? "open" : "closed", "instance-terminated-by-user", now),
      ...(reopen ? { instanceId: undefined, launchedAvailabilityZone: undefined } : {}),
    };
  }
  if (state === "stopped" || state === "stopping") return withStatus("disabled", "instance-stopped-by-user", now);
  return undefined;
}
