// The simulated fleet: which classes of server each zone has (config/fleet.json), which instance types a class
// can run, and what an instance takes from a server. The placement policy itself is in docs/fleet.md; the store
// applies it in one query (best fit: the fullest server that still has room).
import type { InstanceTypeInfo } from "@aws-sdk/client-ec2";
import { vCpusPerThread } from "./oversubscription.js";

export interface HostClass {
  name: string;
  /** none: a bare-metal server, which runs one .metal instance with no hypervisor at all. */
  hypervisor: "xen" | "nitro" | "none";
  architecture: "x86_64" | "arm64";
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  memoryGiB: number;
  perZone: number;
  /** Instance families the class runs; "*" for every family of its hypervisor and architecture. */
  families: string[];
}

export interface FleetConfig {
  classes: HostClass[];
  /** Zones (or Regions) that get servers; all when absent. */
  only?: string[];
  /** The link a live migration uses, in Mbit/s, per class; classes not named get `defaultMigrationLinkMbps`. */
  migrationLinkMbps?: Record<string, number>;
}

/** Clark et al.'s testbed (NSDI 2005): a gigabit LAN. The link of a class config/fleet.json does not name. */
export const defaultMigrationLinkMbps = 1000;

/** A migration between two servers runs at the slower of their links. */
export function migrationLinkMbps(config: FleetConfig, sourceClass: string, targetClass: string): number {
  const link = (name: string) => config.migrationLinkMbps?.[name] ?? defaultMigrationLinkMbps;
  return Math.min(link(sourceClass), link(targetClass));
}

export interface Server {
  serverId: string;
  region: string;
  availabilityZone: string;
  hostClass: string;
  hypervisor: "xen" | "nitro" | "none";
  architecture: string;
  sockets: number;
  cores: number;
  totalVCpus: number;
  memoryMiB: number;
  /** Threads not yet taken; fractional once burstable guests, which take part of a thread each, are placed. */
  freeVCpus: number;
  freeCores: number;
  freeMemoryMiB: number;
  instanceCount: number;
  dedicatedHostId?: string;
  /** Absent: available (a new server). Placement takes only available servers. */
  state?: ServerState;
}

/** A server's state: drained for maintenance (StartServerMaintenance) or failed (FailServer) servers take no new guests. */
export type ServerState = "available" | "under-maintenance" | "failed";

/** What one instance takes from its server. A bare-metal instance takes all of it. */
export interface Footprint {
  /**
   * The server's vCPUs (hardware threads) it takes: its own vCPUs, or a burstable type's divided by its
   * oversubscription (a t3.nano's 2 take 0.5; oversubscription.ts), so placement, release, migration holds, Spot
   * and DescribeFleet count burstable guests as AWS packs them. Its own vCPUs are the type's DefaultVCpus.
   */
  vCpus: number;
  cores: number;
  memoryMiB: number;
  wholeServer: boolean;
  /** On a Dedicated Host: at most `max` instances of this size on one host (host-families.ts). */
  hostSizeCap?: { instanceType: string; max: number };
}

export class FleetConfigError extends Error {}

export function parseFleetConfig(raw: unknown, source: string): FleetConfig {
  const config = raw as Partial<FleetConfig>;
  if (!config || !Array.isArray(config.classes) || config.classes.length === 0) throw new FleetConfigError(`${source}: "classes" must be a non-empty list`);
  const names = new Set<string>();
  for (const c of config.classes) {
    const where = `${source}: class ${JSON.stringify(c?.name)}`;
    if (typeof c?.name !== "string" || !/^[a-z0-9-]+$/.test(c.name)) throw new FleetConfigError(`${where}: name must be lowercase letters, digits and dashes`);
    if (names.has(c.name)) throw new FleetConfigError(`${where}: the name is used twice`);
    names.add(c.name);
    if (c.hypervisor !== "xen" && c.hypervisor !== "nitro" && c.hypervisor !== "none")
      throw new FleetConfigError(`${where}: hypervisor must be xen, nitro or none (bare metal)`);
    if (c.architecture !== "x86_64" && c.architecture !== "arm64") throw new FleetConfigError(`${where}: architecture must be x86_64 or arm64`);
    for (const field of ["sockets", "coresPerSocket", "threadsPerCore", "memoryGiB"] as const) {
      if (!Number.isInteger(c[field]) || c[field] < 1) throw new FleetConfigError(`${where}: ${field} must be a positive integer`);
    }
    if (!Number.isInteger(c.perZone) || c.perZone < 0) throw new FleetConfigError(`${where}: perZone must be 0 or more`);
    if (!Array.isArray(c.families) || c.families.some((f) => typeof f !== "string"))
      throw new FleetConfigError(`${where}: families must be a list of family names or "*"`);
  }
  for (const [name, mbps] of Object.entries(config.migrationLinkMbps ?? {})) {
    if (!names.has(name)) throw new FleetConfigError(`${source}: migrationLinkMbps names ${JSON.stringify(name)}, which is not a class`);
    if (typeof mbps !== "number" || !(mbps > 0)) throw new FleetConfigError(`${source}: migrationLinkMbps of ${name} must be a positive number of Mbit/s`);
  }
  return {
    classes: config.classes,
    ...(config.only ? { only: config.only } : {}),
    ...(config.migrationLinkMbps ? { migrationLinkMbps: config.migrationLinkMbps } : {}),
  };
}

export const familyOf = (instanceType: string) => instanceType.split(".")[0]!;

/** The hypervisor an instance of the type runs under: bare metal runs on Nitro hardware with none. */
export function hypervisorOf(type: InstanceTypeInfo): "xen" | "nitro" | "none" {
  return type.Hypervisor === "xen" ? "xen" : type.Hypervisor === "nitro" ? "nitro" : "none";
}

/** The classes whose servers can run the type: same hypervisor (none for bare metal) and architecture, and the family. */
export function classesFor(config: FleetConfig, type: InstanceTypeInfo): HostClass[] {
  const hypervisor = hypervisorOf(type);
  const architectures = type.ProcessorInfo?.SupportedArchitectures ?? [];
  const family = familyOf(type.InstanceType!);
  const footprint = footprintOf(type);
  const eligible = config.classes.filter(
    (c) => c.hypervisor === hypervisor && architectures.includes(c.architecture) && vCpusOf(c) >= footprint.vCpus && c.memoryGiB * 1024 >= footprint.memoryMiB,
  );
  // A class that names the family serves it; "*" classes serve only families no class of that hypervisor names (the
  // i3 family is named by a Xen class; i3.metal still runs on a "*" bare-metal server).
  const named = eligible.filter((c) => c.families.includes(family));
  if (named.length > 0) return named;
  const namedAnywhere = config.classes.some((c) => c.hypervisor === hypervisor && c.families.includes(family));
  return namedAnywhere ? [] : eligible.filter((c) => c.families.includes("*"));
}

export function vCpusOf(c: Pick<HostClass, "sockets" | "coresPerSocket" | "threadsPerCore">): number {
  return c.sockets * c.coresPerSocket * c.threadsPerCore;
}

export function footprintOf(type: InstanceTypeInfo): Footprint {
  const vCpus = type.VCpuInfo?.DefaultVCpus ?? 1;
  return {
    vCpus: vCpus / vCpusPerThread(type.InstanceType ?? ""),
    cores: type.VCpuInfo?.DefaultCores ?? Math.max(1, Math.ceil(vCpus / (type.VCpuInfo?.DefaultThreadsPerCore ?? 1))),
    memoryMiB: type.MemoryInfo?.SizeInMiB ?? 0,
    wholeServer: type.BareMetal === true,
  };
}

/** The servers config/fleet.json gives a zone, with ids that say where and what they are. */
export function serversForZone(config: FleetConfig, region: string, zone: { zoneName: string; zoneId: string }): Server[] {
  if (config.only && !config.only.includes(zone.zoneName) && !config.only.includes(region)) return [];
  return config.classes.flatMap((c) =>
    Array.from({ length: c.perZone }, (_, index) => {
      const cores = c.sockets * c.coresPerSocket;
      return {
        serverId: `srv-${zone.zoneId}-${c.name}-${String(index + 1).padStart(4, "0")}`,
        region,
        availabilityZone: zone.zoneName,
        hostClass: c.name,
        hypervisor: c.hypervisor,
        architecture: c.architecture,
        sockets: c.sockets,
        cores,
        totalVCpus: vCpusOf(c),
        memoryMiB: c.memoryGiB * 1024,
        freeVCpus: vCpusOf(c),
        freeCores: cores,
        freeMemoryMiB: c.memoryGiB * 1024,
        instanceCount: 0,
      };
    }),
  );
}
