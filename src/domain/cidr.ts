// IPv4 CIDR arithmetic for VPCs and subnets: parse, contain, overlap, and the addresses EC2 reserves.
// Addresses are unsigned 32-bit numbers here; the wire and the tables keep dotted text.

export interface Ipv4Block {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefixLength: number;
  /** How many addresses the block holds (2^(32 - prefix)). */
  size: number;
}

const dotted = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a number, or undefined when it is not a dotted IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const match = dotted.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
}

export function formatIpv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join(".");
}

/**
 * The block, or undefined when the text is not `a.b.c.d/n`. A block whose address has host bits set is kept as
 * written by `exact: false` callers (EC2 refuses it for VPCs and subnets: see `isNetworkAddress`).
 */
export function parseCidr(text: string): Ipv4Block | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  return { base: address - (address % size), prefixLength, size };
}

/** Whether the text names the block's network address itself (10.0.0.0/16, not 10.0.0.1/16). */
export function isNetworkAddress(text: string): boolean {
  const block = parseCidr(text);
  return block !== undefined && parseIpv4(text.slice(0, text.indexOf("/"))) === block.base;
}

export function formatCidr(block: Ipv4Block): string {
  return `${formatIpv4(block.base)}/${block.prefixLength}`;
}

export function containsBlock(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

export function containsAddress(block: Ipv4Block, address: number): boolean {
  return address >= block.base && address < block.base + block.size;
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * EC2 reserves five addresses of every subnet: the network address, the VPC router (+1), the DNS server (+2), one
 * for future use (+3) and the last (broadcast). The first and last usable addresses, as numbers.
 */
export function usableRange(subnet: Ipv4Block): { first: number; last: number; count: number } {
  return { first: subnet.base + 4, last: subnet.base + subnet.size - 2, count: subnet.size - 5 };
}

/** Whether EC2 would give the address to an interface: inside the subnet and not one of its five reserved. */
export function isAssignable(subnet: Ipv4Block, address: number): boolean {
  const { first, last } = usableRange(subnet);
  return address >= first && address <= last;
}
