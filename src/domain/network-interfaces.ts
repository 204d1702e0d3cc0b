// The rules of network interfaces and Elastic IPs (docs/networking.md): which interface types exist, which private
// addresses a subnet can give, how many interfaces and addresses an instance type takes (its NetworkInfo), where an
// interface may attach, and the pool Elastic IPs come from. Pure: the services read the store and call these.
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { type Ipv4Block, containsAddress, formatIpv4, isAssignable, parseCidr, parseIpv4 } from "./cidr.js";
import { Errors } from "./errors.js";
import type { NetworkInterface } from "./network.js";

/** The interface types CreateNetworkInterface makes here ("interface" when none is named). */
export const creatableInterfaceTypes = ["interface", "efa"] as const;

export function checkInterfaceType(type: string | undefined): string {
  const chosen = type ?? "interface";
  if (!(creatableInterfaceTypes as readonly string[]).includes(chosen)) throw Errors.interfaceTypeUnsupported(chosen);
  return chosen;
}

/** The address number of an asked private address: an IPv4 address inside the subnet and not one of its 5 reserved. */
export function askedAddress(subnetCidr: string, text: string): number {
  const address = parseIpv4(text);
  if (address === undefined) throw Errors.privateIpMalformed(text);
  const block = parseCidr(subnetCidr)!;
  if (!containsAddress(block, address)) throw Errors.addressOutsideSubnet(text, subnetCidr);
  if (!isAssignable(block, address)) throw Errors.addressReserved(text, subnetCidr);
  return address;
}

/** What an instance type allows on its network, read from DescribeInstanceTypes' NetworkInfo. */
export interface NetworkLimits {
  instanceType: string;
  maximumInterfaces: number;
  /** Interfaces per network card, by card index; one card holding them all when the type lists none. */
  cards: ReadonlyMap<number, number>;
  ipv4PerInterface: number;
  efaSupported: boolean;
}

export function networkLimits(type: InstanceTypeInfo): NetworkLimits {
  const info = type.NetworkInfo ?? {};
  const maximumInterfaces = info.MaximumNetworkInterfaces ?? 1;
  const cards = new Map<number, number>();
  for (const card of info.NetworkCards ?? []) cards.set(card.NetworkCardIndex ?? 0, card.MaximumNetworkInterfaces ?? maximumInterfaces);
  if (cards.size === 0) cards.set(0, maximumInterfaces);
  return {
    instanceType: type.InstanceType ?? "",
    maximumInterfaces,
    cards,
    ipv4PerInterface: info.Ipv4AddressesPerInterface ?? 1,
    efaSupported: info.EfaSupported === true,
  };
}

/** A slot an interface holds on an instance. */
export interface InterfaceSlot {
  deviceIndex: number;
  networkCardIndex: number;
}

/**
 * The slots taken on an instance. An instance without any interface (launched before networking, or on a branch
 * where RunInstances makes none) still has its primary one in EC2's model: device 0 of card 0 counts as taken.
 */
export function takenSlots(attached: readonly NetworkInterface[]): InterfaceSlot[] {
  const slots = attached.flatMap((eni) =>
    eni.attachment ? [{ deviceIndex: eni.attachment.deviceIndex, networkCardIndex: eni.attachment.networkCardIndex }] : [],
  );
  if (!slots.some((slot) => slot.deviceIndex === 0 && slot.networkCardIndex === 0)) slots.push({ deviceIndex: 0, networkCardIndex: 0 });
  return slots;
}

/** The instance as AttachNetworkInterface judges it. */
export interface AttachTarget {
  instanceId: string;
  availabilityZone: string;
  state: string;
  limits: NetworkLimits;
  attached: readonly NetworkInterface[];
}

/** EC2's checks before an interface goes onto an instance, in the order EC2 reports them. */
export function checkAttach(eni: NetworkInterface, target: AttachTarget, slot: InterfaceSlot): void {
  if (eni.attachment) throw Errors.networkInterfaceInUse(eni.networkInterfaceId);
  if (eni.availabilityZone !== target.availabilityZone) {
    throw Errors.interfaceZoneMismatch(eni.networkInterfaceId, eni.availabilityZone, target.instanceId, target.availabilityZone);
  }
  if (target.state !== "running" && target.state !== "stopped") throw Errors.incorrectInstanceState(target.instanceId, target.state, "attached to");
  const { limits } = target;
  const cardLimit = limits.cards.get(slot.networkCardIndex);
  if (cardLimit === undefined) throw Errors.networkCardUnsupported(slot.networkCardIndex, limits.instanceType, limits.cards.size);
  if (eni.interfaceType === "efa" && !limits.efaSupported) throw Errors.efaUnsupported(limits.instanceType);
  const taken = takenSlots(target.attached);
  if (taken.some((used) => used.deviceIndex === slot.deviceIndex && used.networkCardIndex === slot.networkCardIndex)) {
    throw Errors.deviceIndexInUse(target.instanceId, slot.deviceIndex);
  }
  const onCard = taken.filter((used) => used.networkCardIndex === slot.networkCardIndex).length + 1;
  if (onCard > cardLimit || taken.length + 1 > limits.maximumInterfaces) {
    throw Errors.interfaceLimitExceeded(Math.max(onCard, taken.length + 1), limits.instanceType);
  }
  checkAddressCount(limits, eni.privateIps.length);
}

/** The primary interface (device 0 of card 0) stays with its instance for life, as in EC2. */
export function checkDetach(attachment: InterfaceSlot): void {
  if (attachment.deviceIndex === 0 && attachment.networkCardIndex === 0) throw Errors.primaryInterfaceUndetachable();
}

/** An attached interface holds at most the type's IPv4 addresses per interface, its primary one included. */
export function checkAddressCount(limits: NetworkLimits, count: number): void {
  if (count > limits.ipv4PerInterface) throw Errors.privateIpLimitExceeded(limits.instanceType, limits.ipv4PerInterface);
}

/**
 * Elastic IPs come from 198.18.0.0/15, the block RFC 2544 sets aside for network benchmarks: it looks like a public
 * address, is never routed on the internet, and holds 131,072 addresses, enough to keep every account's addresses
 * distinct. (The documentation blocks, 192.0.2.0/24 and its siblings, hold 256 each.)
 */
export const elasticIpPool: Ipv4Block = parseCidr("198.18.0.0/15")!;

/** EC2's default quota of Elastic IPs per account and region (vpc-max-elastic-ips). */
export const maxElasticIpsPerRegion = 5;

/** A public address of the pool from a random draw in [0, 1): the store retries when it is taken. */
export function poolAddress(draw: number): string {
  // The pool's first and last addresses are left out, as a network's own would be.
  return formatIpv4(elasticIpPool.base + 1 + Math.floor(draw * (elasticIpPool.size - 2)));
}
