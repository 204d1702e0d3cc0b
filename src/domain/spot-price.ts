// The Spot price of a type in a zone: a function of how full the zone's servers that run the type are, never above
// the type's On-Demand price. The history is the same function over the utilization the instances' lives trace
// (a step at each launch and each end), computed for any window without a tick loop or stored samples.
// Constants and their sources: docs/spot.md.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";

/** USD per vCPU-hour and per GiB-hour: fitted to the C5 family's Linux prices in us-east-1 (docs/spot.md). */
export const onDemandPerVCpuHour = 0.0345;
export const onDemandPerGiBHour = 0.004;
/** The Spot price of an empty zone, as a share of On-Demand (chosen: "up to 90% off", a typical 70% discount). */
export const idleShare = 0.3;
/** How sharply the price climbs as the zone fills (chosen): the share is idleShare + (1 − idleShare) × u^exponent. */
export const utilizationExponent = 3;

/** How far back DescribeSpotPriceHistory reaches: 90 days, as the console shows (using-spot-instances-history). */
export const spotHistoryDays = 90;

/**
 * What each platform's licence adds to the Linux price, USD an hour, the same On-Demand and Spot (the capacity is
 * what the market discounts, not the licence). Sources and the SUSE choice: docs/spot.md.
 */
const licenceFees = {
  "Linux/UNIX": () => 0,
  Windows: (vCpus: number) => 0.046 * vCpus,
  "Red Hat Enterprise Linux": (vCpus: number) => (vCpus <= 4 ? 0.06 : 0.13),
  "SUSE Linux": (vCpus: number) => (vCpus <= 2 ? 0.03 : 0.1),
} as const;
type Platform = keyof typeof licenceFees;
const vpcSuffix = " (Amazon VPC)";
export type ProductDescription = Platform | `${Platform}${typeof vpcSuffix}`;

/** EC2's product descriptions: each platform, and its "(Amazon VPC)" twin at the same price. */
export const productDescriptions: readonly ProductDescription[] = (Object.keys(licenceFees) as Platform[]).flatMap((platform) => [
  platform,
  `${platform}${vpcSuffix}` as const,
]);

export function isProductDescription(value: string): value is ProductDescription {
  return (productDescriptions as readonly string[]).includes(value);
}

/** The licence fee a product description adds to a type's Linux price (Linux/UNIX: none). */
function licenceFee(type: InstanceTypeInfo, productDescription: ProductDescription): number {
  const platform = productDescription.replace(vpcSuffix, "") as Platform;
  return roundPrice(licenceFees[platform](type.VCpuInfo?.DefaultVCpus ?? 1));
}

/** The On-Demand Linux price of a type, USD an hour, rounded to the tenth of a cent's hundredth as AWS lists them. */
export function onDemandPrice(type: InstanceTypeInfo): number {
  const vCpus = type.VCpuInfo?.DefaultVCpus ?? 1;
  const gib = (type.MemoryInfo?.SizeInMiB ?? 0) / 1024;
  return roundPrice(vCpus * onDemandPerVCpuHour + gib * onDemandPerGiBHour);
}

/** The product an image's (or an instance's) platform is sold as: Windows, or Linux/UNIX for everything else. */
export function productOf(platform: "windows" | undefined): ProductDescription {
  return platform === "windows" ? "Windows" : "Linux/UNIX";
}

/** The On-Demand price of a product on a type: the Linux price and the licence, the default maximum Spot price. */
export function onDemandPriceOf(type: InstanceTypeInfo, productDescription: ProductDescription): number {
  return roundPrice(onDemandPrice(type) + licenceFee(type, productDescription));
}

/** A product's Spot price from the Linux Spot price: the licence on top, never discounted. */
export function withLicence(linuxSpotPrice: number, type: InstanceTypeInfo, productDescription: ProductDescription): number {
  return roundPrice(linuxSpotPrice + licenceFee(type, productDescription));
}

/** The Spot price at utilization u (0 to 1) of the zone's servers for the type; at a full zone, the On-Demand price. */
export function spotPrice(onDemand: number, utilization: number): number {
  const u = Math.min(1, Math.max(0, utilization));
  return Math.min(onDemand, roundPrice(onDemand * (idleShare + (1 - idleShare) * u ** utilizationExponent)));
}

/** EC2 writes Spot prices with six decimals ("0.031200"). */
export function formatPrice(price: number): string {
  return price.toFixed(6);
}

function roundPrice(price: number): number {
  return Math.round(price * 1e6) / 1e6;
}

/** An instance's hold on the zone's capacity: from its launch to its end (none while it still holds it). */
export interface CapacityInterval {
  startMs: number;
  endMs?: number;
  /** The server vCPUs it held: its footprint's (a burstable guest's oversubscribed, docs/fleet.md). */
  vCpus: number;
}

export interface PricePoint {
  at: number;
  price: number;
}

/**
 * The price steps in [fromMs, toMs], oldest first: the price in effect at fromMs (stamped at the change that set it,
 * as EC2 stamps a history entry when the price changed), then one point at each change inside the window.
 */
export function priceHistory(
  intervals: readonly CapacityInterval[],
  totalVCpus: number,
  onDemand: number,
  fromMs: number,
  toMs: number,
  /** When the fleet came into being: the first price is stamped no earlier. */
  originMs: number,
): PricePoint[] {
  const changes = new Map<number, number>();
  const add = (at: number, delta: number) => changes.set(at, (changes.get(at) ?? 0) + delta);
  for (const interval of intervals) {
    add(interval.startMs, interval.vCpus);
    if (interval.endMs !== undefined) add(interval.endMs, -interval.vCpus);
  }
  const times = [...changes.keys()].sort((a, b) => a - b);
  const priceAt = (used: number) => spotPrice(onDemand, totalVCpus > 0 ? used / totalVCpus : 1);
  let used = 0;
  let current: PricePoint = { at: originMs, price: priceAt(0) };
  const points: PricePoint[] = [];
  for (const at of times) {
    if (at > toMs) break;
    used += changes.get(at)!;
    const price = priceAt(used);
    if (price === current.price) continue;
    if (at > fromMs) {
      if (points.length === 0) points.push(current);
      points.push({ at, price });
    }
    current = { at, price };
  }
  if (points.length === 0) points.push(current);
  return points;
}

/** One entry of DescribeSpotPriceHistory. */
export interface PriceEntry {
  availabilityZone: string;
  instanceType: string;
  productDescription: string;
  spotPrice: string;
  timestamp: Date;
}
