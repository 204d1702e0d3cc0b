// What the compatibility matrix shows, from the API: the images (the catalog's and the caller's own), the instance
// types and their facts, and the verdict of every visible cell from ExplainLaunchMatrix. The filters are plain
// functions over these facts, so the page only renders.
import type { Client } from "../api/client.js";
import { child, items, strings, text, type XmlObject } from "../api/xml.js";

export interface ImageRow {
  imageId: string;
  name: string;
  owner: "catalog" | "mine";
  virtualizationType: string;
  architecture: string;
  /** legacy-bios, uefi, uefi-preferred, or "" when the image names none (then the architecture's default). */
  bootMode: string;
  ena: boolean;
}

export interface TypeColumn {
  instanceType: string;
  family: string;
  /** xen, nitro, or "none" for bare metal (DescribeInstanceTypes leaves the hypervisor out there). */
  hypervisor: string;
  currentGeneration: boolean;
  gpu: boolean;
  /** unsupported, supported or required. */
  ena: string;
}

export type VerdictKind = "runs" | "no-boot" | "refused";

export interface Verdict {
  kind: VerdictKind;
  failedRuleIds: string[];
  warningRuleIds: string[];
}

/** Every verdict kind has an icon and a word besides its colour. */
export const verdictLabels: Record<VerdictKind, { icon: string; word: string; meaning: string }> = {
  runs: { icon: "✓", word: "runs", meaning: "RunInstances accepts it and the guest boots" },
  "no-boot": { icon: "!", word: "no boot", meaning: "RunInstances accepts it, but the guest fails its status checks" },
  refused: { icon: "✕", word: "refused", meaning: "RunInstances refuses the launch" },
};

/** The images the matrix shows first, and how to read all of them when the first page of the caller's own was not all. */
export interface ImageList {
  rows: ImageRow[];
  rest?: () => Promise<ImageRow[]>;
}

const machineImages = { Filter: [{ Name: "image-type", Value: ["machine"] }] };

/**
 * The catalog's images and the caller's own, their own first (in id order) and the catalog's by name. An account
 * with thousands of images would wait for all of them (10,000 are a 9 MB answer, seconds to serve and read) before
 * its first matrix, which shows 100 rows: the first page of its own images gives those rows, and `rest` reads the
 * whole list for the filters and the count.
 */
export async function loadImages(client: Client): Promise<ImageList> {
  const [catalog, mine] = await Promise.all([
    client.call("ec2", "DescribeImages", { Owner: ["amazon"] }),
    client.call("ec2", "DescribeImages", { Owner: ["self"], ...machineImages, MaxResults: maxRows }),
  ]);
  const catalogRows = imageRows(items(catalog.imagesSet), "catalog").sort((a, b) => a.name.localeCompare(b.name));
  const rows = [...imageRows(items(mine.imagesSet), "mine"), ...catalogRows];
  if (!text(mine.nextToken)) return { rows };
  const rest = async () => {
    const all = await client.call("ec2", "DescribeImages", { Owner: ["self"], ...machineImages });
    return [...imageRows(items(all.imagesSet), "mine"), ...catalogRows];
  };
  return { rows, rest };
}

function imageRows(list: XmlObject[], owner: ImageRow["owner"]): ImageRow[] {
  return list
    .filter((image) => text(image.imageType) === "machine")
    .map((image) => ({
      imageId: text(image.imageId),
      name: text(image.name) || text(image.imageId),
      owner,
      virtualizationType: text(image.virtualizationType),
      architecture: text(image.architecture),
      bootMode: text(image.bootMode),
      ena: text(image.enaSupport) === "true",
    }));
}

/** The catalog does not change while the server runs: each region's type names and types are read once a tab. */
const namesByRegion = new Map<string, Promise<string[]>>();
const typesByRegion = new Map<string, Promise<TypeColumn[]>>();

function once<T>(cache: Map<string, Promise<T>>, region: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(region);
  if (!value) {
    value = read();
    cache.set(region, value);
    value.catch(() => cache.delete(region));
  }
  return value;
}

/** The region's type names, from DescribeInstanceTypeOfferings (1,000 small items a page). */
export function loadTypeNames(client: Client): Promise<string[]> {
  return once(namesByRegion, client.session.region, async () => {
    const offered = await client.all("ec2", "DescribeInstanceTypeOfferings", "instanceTypeOfferingSet", { LocationType: "region", MaxResults: 1000 });
    return offered.map((offering) => text(offering.instanceType));
  });
}

/** Every type of the region with its facts (the column filters need them all). */
export function loadTypes(client: Client): Promise<TypeColumn[]> {
  return once(typesByRegion, client.session.region, async () => loadTypeFacts(client, await loadTypeNames(client)));
}

/**
 * The columns of the first matrix (the unfiltered one shows the smallest type of each family), found from the
 * names alone, with their facts: 2 calls of DescribeInstanceTypes where every type's facts are 13 (5 MB).
 */
export async function loadFirstColumns(client: Client): Promise<TypeColumn[]> {
  const seen = new Set<string>();
  const smallest = [...(await loadTypeNames(client))].sort(compareTypeNames).filter((name) => !seen.has(familyOf(name)) && seen.add(familyOf(name)));
  return loadTypeFacts(client, smallest);
}

/** Names a DescribeInstanceTypes call may list (EC2's bound). */
const typesPerDescribe = 100;

/** These types' facts, 100 names a call and the calls all at once (paging DescribeInstanceTypes is one after the other). */
async function loadTypeFacts(client: Client, names: readonly string[]): Promise<TypeColumn[]> {
  const calls: Array<Promise<XmlObject>> = [];
  for (let i = 0; i < names.length; i += typesPerDescribe) {
    calls.push(client.call("ec2", "DescribeInstanceTypes", { InstanceType: names.slice(i, i + typesPerDescribe) }));
  }
  const types = (await Promise.all(calls)).flatMap((page) => items(page.instanceTypeSet));
  return types
    .map((type) => {
      const name = text(type.instanceType);
      return {
        instanceType: name,
        family: familyOf(name),
        hypervisor: text(type.hypervisor) || (text(type.bareMetal) === "true" ? "none" : "unknown"),
        currentGeneration: text(type.currentGeneration) === "true",
        gpu: child(type, "gpuInfo") !== undefined,
        ena: text(child(type.networkInfo, "enaSupport")) || "unsupported",
      };
    })
    .sort((a, b) => compareTypeNames(a.instanceType, b.instanceType));
}

function familyOf(typeName: string): string {
  return typeName.split(".")[0] ?? typeName;
}

/** By family, then size (nano first, metal last), then name. */
function compareTypeNames(a: string, b: string): number {
  return familyOf(a).localeCompare(familyOf(b)) || sizeRank(a) - sizeRank(b) || a.localeCompare(b);
}

const sizes = ["nano", "micro", "small", "medium", "large", "xlarge"];
/** nano < micro < … < xlarge < 2xlarge < … < metal, as EC2 lists sizes. */
export function sizeRank(typeName: string): number {
  const size = typeName.split(".")[1] ?? "";
  const known = sizes.indexOf(size);
  if (known >= 0) return known;
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? sizes.length + Number(multiple[1]) : 10_000;
}

export interface RowFilters {
  /** Part of the image's name or id, any case. */
  text: string;
  owner: string;
  virtualization: string;
  architecture: string;
  bootMode: string;
  ena: string;
}

export interface ColumnFilters {
  family: string;
  hypervisor: string;
  generation: string;
  gpu: string;
  ena: string;
  sizes: "smallest" | "all";
}

export const anyValue = "any";

/** Rows one matrix shows: an account with thousands of images narrows them with the filters. */
export const maxRows = 100;

export function filterRows(rows: readonly ImageRow[], f: RowFilters): ImageRow[] {
  const text = f.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (!text || row.name.toLowerCase().includes(text) || row.imageId.includes(text)) &&
      (f.owner === anyValue || row.owner === f.owner) &&
      (f.virtualization === anyValue || row.virtualizationType === f.virtualization) &&
      (f.architecture === anyValue || row.architecture === f.architecture) &&
      (f.bootMode === anyValue || (row.bootMode || "unset") === f.bootMode) &&
      (f.ena === anyValue || String(row.ena) === f.ena),
  );
}

export function filterColumns(columns: readonly TypeColumn[], f: ColumnFilters): TypeColumn[] {
  const kept = columns.filter(
    (column) =>
      (f.family === anyValue || column.family === f.family) &&
      (f.hypervisor === anyValue || column.hypervisor === f.hypervisor) &&
      (f.generation === anyValue || String(column.currentGeneration) === f.generation) &&
      (f.gpu === anyValue || String(column.gpu) === f.gpu) &&
      (f.ena === anyValue || column.ena === f.ena),
  );
  if (f.sizes === "all" || f.family !== anyValue) return kept;
  // One size a family (its smallest kept): the rules mostly follow the family, and 1,270 columns do not fit a screen.
  const seen = new Set<string>();
  return kept.filter((column) => !seen.has(column.family) && seen.add(column.family));
}

/** The distinct values of a fact, for a filter's options. */
export function valuesOf<T>(list: readonly T[], fact: (item: T) => string): string[] {
  return [...new Set(list.map(fact))].filter(Boolean).sort();
}

/** The matrix's verdicts, fetched once per zone and cell, in calls of at most 10,000 cells (the operation's bound). */
export class VerdictCache {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(private readonly client: Client) {}

  get(zone: string, imageId: string, instanceType: string): Verdict | undefined {
    return this.verdicts.get(`${zone}|${imageId}|${instanceType}`);
  }

  async load(zone: string, imageIds: readonly string[], instanceTypes: readonly string[]): Promise<void> {
    const images = imageIds.filter((id) => instanceTypes.some((type) => !this.get(zone, id, type)));
    const types = instanceTypes.filter((type) => images.some((id) => !this.get(zone, id, type)));
    // The calls at once: the browser reads one answer while the server judges the next.
    const calls: Array<Promise<XmlObject>> = [];
    for (let i = 0; i < images.length; i += 100) {
      const imageChunk = images.slice(i, i + 100);
      const typesPerCall = Math.min(1000, Math.floor(10_000 / imageChunk.length));
      for (let j = 0; j < types.length; j += typesPerCall) {
        calls.push(
          this.client.call("extensions", "ExplainLaunchMatrix", {
            ImageId: imageChunk,
            InstanceType: types.slice(j, j + typesPerCall),
            AvailabilityZone: zone || undefined,
          }),
        );
      }
    }
    for (const result of await Promise.all(calls)) {
      for (const cell of items(result.cellSet)) {
        const launchable = text(cell.launchable) === "true";
        const wouldBoot = text(cell.wouldBoot) === "true";
        this.verdicts.set(`${zone}|${text(cell.imageId)}|${text(cell.instanceType)}`, {
          kind: !launchable ? "refused" : wouldBoot ? "runs" : "no-boot",
          failedRuleIds: strings(cell.failedRuleIdSet),
          warningRuleIds: strings(cell.warningRuleIdSet),
        });
      }
    }
  }
}
