// The Spot market of a Region: the price per type and zone (domain/spot-price.ts over the fleet's utilization),
// the zones a launch can afford, and the two things a launch does to Spot inside its transaction: an On-Demand
// launch takes room from Spot Instances, a Spot launch records its request.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import type { InstanceTypeCatalog } from "../domain/catalog/instance-types.js";
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { classesFor, type FleetConfig, type Footprint, footprintOf } from "../domain/fleet.js";
import type { Instance } from "../domain/instances.js";
import {
  type CapacityInterval,
  formatPrice,
  onDemandPrice,
  type PricePoint,
  type ProductDescription,
  priceHistory,
  productOf,
  spotPrice,
  withLicence,
} from "../domain/spot-price.js";
import { type SpotOptions, type SpotRequest, withStatus } from "../domain/spot.js";
import type { Tag } from "../domain/tags.js";
import { SpotRepo } from "../store/spot-repo.js";
import type { Sql } from "../store/sql.js";

/** A Spot launch: RunInstances' market options, or the RequestSpotInstances request it fulfils. */
export interface SpotLaunch {
  options: SpotOptions;
  /** The request being fulfilled; RunInstances makes one per instance. */
  requestId?: string;
  tags?: Tag[];
}

export class SpotMarket {
  constructor(
    private readonly repo: SpotRepo,
    private readonly sql: Sql,
    private readonly catalog: InstanceTypeCatalog,
    private readonly fleetConfig: FleetConfig,
  ) {}

  type(name: string): InstanceTypeInfo {
    const type = this.catalog.get(name);
    if (!type) throw Errors.invalidInstanceType(name);
    return type;
  }

  classesOf(type: InstanceTypeInfo): string[] {
    return classesFor(this.fleetConfig, type).map((c) => c.name);
  }

  /** The Spot price of the product on the type in the zone now: the Linux price scaled by the zone's utilization, and the licence. */
  priceNow(availabilityZone: string, type: InstanceTypeInfo, product: ProductDescription): number {
    const { totalVCpus, usedVCpus } = this.repo.zoneCapacity(availabilityZone, this.classesOf(type));
    return withLicence(spotPrice(onDemandPrice(type), totalVCpus > 0 ? usedVCpus / totalVCpus : 1), type, product);
  }

  /** The zones whose price the maximum covers (none: the On-Demand price, always covered); EC2's error when none does. */
  affordableZones(zones: readonly string[], type: InstanceTypeInfo, product: ProductDescription, maxPrice: number | undefined): string[] {
    if (maxPrice === undefined || zones.length === 0) return [...zones];
    const prices = zones.map((zone) => ({ zone, price: this.priceNow(zone, type, product) }));
    const affordable = prices.filter((p) => p.price <= maxPrice).map((p) => p.zone);
    if (affordable.length === 0) throw Errors.spotMaxPriceTooLow(String(maxPrice), formatPrice(Math.min(...prices.map((p) => p.price))));
    return affordable;
  }

  /** The price steps of the type in the zone over the window, from the lives of the zone's instances. */
  history(availabilityZone: string, type: InstanceTypeInfo, fromMs: number, toMs: number, originMs: number): PricePoint[] {
    const classes = new Set(this.classesOf(type));
    const { totalVCpus } = this.repo.zoneCapacity(availabilityZone, [...classes]);
    const intervals: CapacityInterval[] = [];
    for (const life of this.repo.zoneLives(availabilityZone)) {
      const lifeType = this.catalog.get(life.instanceType);
      if (!lifeType || !this.classesOf(lifeType).some((c) => classes.has(c))) continue;
      const holding = life.state === "pending" || life.state === "running";
      const endMs = life.releasedAt?.getTime() ?? (holding ? undefined : life.stateChangedAt.getTime());
      intervals.push({ startMs: life.launchTime.getTime(), ...(endMs !== undefined ? { endMs } : {}), vCpus: footprintOf(lifeType).vCpus });
    }
    return priceHistory(intervals, totalVCpus, onDemandPrice(type), fromMs, toMs, originMs);
  }

  /** In an On-Demand launch's transaction: interrupts Spot Instances of the zone to make room, when they can. */
  makeRoomSync(
    region: string,
    availabilityZone: string,
    hostClasses: readonly string[],
    footprint: Footprint,
    excludeServers: readonly string[],
    now: Date,
  ): boolean {
    return SpotRepo.reclaimSync(this.sql, { region, availabilityZone, hostClasses, footprint, excludeServers, now });
  }

  /** In a Spot launch's transaction: the instance's request, made (RunInstances) or fulfilled (RequestSpotInstances). */
  recordSync(caller: Caller, instance: Instance, spot: SpotLaunch, launchSpecification: string, footprint: Footprint, now: Date): void {
    const fulfilled = {
      ...withStatus("active", "fulfilled", now),
      instanceId: instance.instanceId,
      launchedAvailabilityZone: instance.availabilityZone,
    };
    if (spot.requestId) {
      this.repo.updateSync(spot.requestId, { ...fulfilled, noticeAt: undefined, actionAt: undefined, cause: undefined });
      return;
    }
    const request: SpotRequest = {
      spotInstanceRequestId: instance.spotInstanceRequestId!,
      accountId: caller.accountId,
      region: caller.region,
      type: spot.options.type,
      interruptionBehavior: spot.options.interruptionBehavior,
      ...(spot.options.maxPrice !== undefined ? { maxPrice: spot.options.maxPrice } : {}),
      ...(spot.options.validUntil ? { validUntil: spot.options.validUntil } : {}),
      createdAt: now,
      instanceType: instance.instanceType,
      productDescription: productOf(instance.platform),
      availabilityZone: instance.availabilityZone,
      launchSpecification,
      footprint,
      fromRunInstances: true,
      ...fulfilled,
    };
    this.repo.insertSync(request, spot.tags ?? []);
  }
}
