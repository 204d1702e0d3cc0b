// What one Dedicated Host of a family is (sockets, physical cores, vCPUs) and how many instances of each size it
// holds, as AWS documents it (facts §4, host-life facts §2). A host is its family's configuration whatever server
// of the zone backs it. AWS counts instances by physical cores (48 cores / 8 per m5.4xlarge = 6), except where it
// publishes per-size counts (the T3 host's 192 nano…medium) or per-size caps (2 × r5.8xlarge on an R5 host).
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { type Footprint, familyOf, footprintOf } from "./fleet.js";

export interface HostConfiguration {
  sockets: number;
  cores: number;
  vCpus: number;
  /**
   * The units the host's capacity is counted in: its physical cores, or for a family with published per-size
   * counts (T3) the largest count, each size taking `units / count` of them.
   */
  units: number;
  /** documented: AWS states it; assumed: chosen in docs/decisions.md; derived: the family's largest size. */
  source: "documented" | "assumed" | "derived";
}

interface FamilyEntry {
  sockets: number;
  cores: number;
  vCpus: number;
  source: "documented" | "assumed";
  /** AWS's published instances per host for each size, where they are not cores ÷ cores per instance. */
  perSize?: Record<string, number>;
  /** At most this many of a size on one host, whatever cores are left (multi-size hosts). */
  caps?: Record<string, number>;
}

const families: Record<string, FamilyEntry> = {
  // The DescribeHosts sample and the User Guide's "48 physical cores / 8 cores per instance".
  m5: { sockets: 2, cores: 48, vCpus: 96, source: "documented" },
  // "an R5 Dedicated Host ... has 2 sockets and 48 physical cores" and "supports up to 2 r5.8xlarge instances".
  r5: { sockets: 2, cores: 48, vCpus: 96, source: "documented", caps: { "r5.8xlarge": 2 } },
  // 48 cores and "up to 192 instances"; the sockets and vCPUs are assumed from the M5 host.
  t3: {
    sockets: 2,
    cores: 48,
    vCpus: 96,
    source: "documented",
    perSize: { "t3.nano": 192, "t3.micro": 192, "t3.small": 192, "t3.medium": 192, "t3.large": 96, "t3.xlarge": 48, "t3.2xlarge": 24 },
  },
  // Not retrievable here (AWS's host-configuration table); the hardware of each family's largest virtualized size.
  c5: { sockets: 2, cores: 36, vCpus: 72, source: "assumed" },
  m4: { sockets: 2, cores: 24, vCpus: 48, source: "assumed" },
  c4: { sockets: 2, cores: 20, vCpus: 40, source: "assumed" },
  r4: { sockets: 2, cores: 36, vCpus: 72, source: "assumed" },
  m3: { sockets: 2, cores: 20, vCpus: 40, source: "assumed" },
  p3: { sockets: 2, cores: 36, vCpus: 72, source: "assumed" },
  x1: { sockets: 4, cores: 72, vCpus: 144, source: "assumed" },
};

/** The sizes of the family that run on Dedicated Hosts (DedicatedHostsSupported), .metal included. */
function hostSizes(family: string, catalog: readonly InstanceTypeInfo[]): InstanceTypeInfo[] {
  return catalog.filter((type) => familyOf(type.InstanceType!) === family && type.DedicatedHostsSupported === true);
}

/** The host of `family`: the table's entry, else the hardware of its largest host size (sockets from the server). */
export function hostConfiguration(family: string, catalog: readonly InstanceTypeInfo[], serverSockets: number): HostConfiguration {
  const entry = families[family];
  if (entry) {
    const units = entry.perSize ? Math.max(...Object.values(entry.perSize)) : entry.cores;
    return { sockets: entry.sockets, cores: entry.cores, vCpus: entry.vCpus, units, source: entry.source };
  }
  const sizes = hostSizes(family, catalog);
  const cores = Math.max(1, ...sizes.map((size) => footprintOf(size).cores));
  // The guest's own vCPUs, not the footprint's (a burstable footprint counts them oversubscribed).
  const vCpus = Math.max(1, ...sizes.map((size) => size.VCpuInfo?.DefaultVCpus ?? 1));
  return { sockets: Math.min(serverSockets, cores), cores, vCpus, units: cores, source: "derived" };
}

/** The units one instance of the type takes on a host of its family: its cores, or the host's share of a published count. */
export function hostUnitsOf(type: InstanceTypeInfo): number {
  const perSize = families[familyOf(type.InstanceType!)]?.perSize;
  const count = perSize?.[type.InstanceType!];
  return perSize && count ? Math.max(...Object.values(perSize)) / count : footprintOf(type).cores;
}

/** The most instances of this size one host holds, where AWS caps it below what the cores allow. */
export function hostSizeCap(type: InstanceTypeInfo): number | undefined {
  return families[familyOf(type.InstanceType!)]?.caps?.[type.InstanceType!];
}

/** What an instance on a Dedicated Host takes from the host's server: cores counted in host units, and the size cap. */
export function hostFootprint(type: InstanceTypeInfo): Footprint {
  const cap = hostSizeCap(type);
  return { ...footprintOf(type), cores: hostUnitsOf(type), ...(cap ? { hostSizeCap: { instanceType: type.InstanceType!, max: cap } } : {}) };
}

/** The largest host size of the family (the server must hold it); undefined when no size runs on hosts. */
export function largestHostSize(family: string, catalog: readonly InstanceTypeInfo[]): InstanceTypeInfo | undefined {
  return hostSizes(family, catalog)
    .filter((type) => !type.BareMetal)
    .sort((a, b) => (b.VCpuInfo?.DefaultVCpus ?? 1) - (a.VCpuInfo?.DefaultVCpus ?? 1))[0];
}
