// Image use cases: register (EBS-backed, from a snapshot the caller may use), describe (owners, executable-by,
// ids, filters, pages), deregister, and the Amazon catalog every region starts with.
import { createHash } from "node:crypto";
import { amazonAccountId, amazonCatalog } from "../domain/catalog/amazon-images.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import type { GuestModel } from "../domain/guest.js";
import { Errors } from "../domain/errors.js";
import { type Filter, filterPredicate, tagNarrowings } from "../domain/filters.js";
import { imageFilters } from "../domain/filters/images.js";
import { isWellFormedId, newId } from "../domain/ids.js";
import {
  type BlockDeviceMapping,
  canLaunch,
  checkKernel,
  ramdiskRefusal,
  deregisteredVisibleMs,
  stillShown,
  isExecutableBy,
  checkRegistration,
  type Image,
  privateMachineImage,
  validateImageName,
} from "../domain/images.js";
import { decodeToken, type Page, paginate } from "../domain/pagination.js";
import type { Topology } from "../domain/regions.js";
import { usableSnapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import type { ImagesRepo } from "../store/images-repo.js";
import { filterYielding, letOthersRun } from "./yielding.js";

export interface RegisterImageInput {
  name: string;
  description?: string;
  architecture?: Image["architecture"];
  virtualizationType?: Image["virtualizationType"];
  rootDeviceName?: string;
  blockDeviceMappings: BlockDeviceMapping[];
  kernelId?: string;
  ramdiskId?: string;
  enaSupport?: boolean;
  sriovNetSupport?: string;
  bootMode?: Image["bootMode"];
  uefiData?: string;
  imageLocation?: string;
  tags: Tag[];
}

export interface ImageQuery {
  imageIds?: string[];
  owners?: string[];
  executableUsers?: string[];
  filters?: readonly Filter[];
}

/** Where the version of the seeded catalog is kept (src/server.ts: a server secret). */
export interface SeededVersion {
  get(): Promise<string | undefined>;
  put(version: string): Promise<void>;
}

export class ImageService {
  constructor(
    private readonly repo: ImagesRepo,
    private readonly clock: Clock,
    private readonly delays: Delays,
  ) {}

  /**
   * The Amazon catalog in every region of the topology: what is missing is inserted, what exists is left alone. The
   * database keeps the version it last seeded (a hash of the catalog's rows, regions included); a start whose catalog
   * has that version skips the seed, which row by row into 30 regions is most of a warm start's time.
   */
  async seedAmazonCatalog(topology: Topology, seeded: SeededVersion): Promise<number> {
    const regions = topology.regions.map((region) => region.regionName);
    // Built here only the first time in this process: regionCatalogs keeps their version.
    let catalogs = catalogVersions.has(regions.join(" ")) ? undefined : regionCatalogs(regions);
    const version = catalogVersions.get(regions.join(" "))!;
    if ((await seeded.get()) === version) return 0;
    catalogs ??= regionCatalogs(regions);
    let added = 0;
    for (const { snapshots, images } of catalogs) added += await this.repo.seed(snapshots, images);
    await seeded.put(version);
    return added;
  }

  async register(caller: Caller, input: RegisterImageInput): Promise<Image> {
    validateImageName(input.name);
    if (input.imageLocation) {
      throw Errors.unsupportedOperation(
        "RegisterImage with ImageLocation (an instance-store AMI from an S3 manifest); mini-ec2 registers EBS-backed images from snapshots",
      );
    }
    const virtualizationType = input.virtualizationType ?? "paravirtual";
    const architecture = input.architecture ?? "i386";
    if (!input.rootDeviceName) throw Errors.missingParameter("RootDeviceName");
    checkRegistration({ ...input, virtualizationType, architecture, rootDeviceName: input.rootDeviceName });

    const mappings = await this.checkMappings(caller, input.rootDeviceName, input.blockDeviceMappings);
    let kernelId = input.kernelId;
    if (virtualizationType === "paravirtual") {
      if (input.ramdiskId) throw ramdiskRefusal(input.ramdiskId, await this.usableImage(caller, input.ramdiskId), virtualizationType);
      if (kernelId) {
        checkKernel(await this.usableImage(caller, kernelId), kernelId, architecture);
      } else {
        kernelId = await this.defaultPvGrub(caller, architecture, mappings.rootSnapshotPartitioned);
      }
    }
    const now = this.clock.now();
    const image = privateMachineImage(caller, {
      imageId: newId("ami"),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      architecture,
      virtualizationType,
      ...(kernelId ? { kernelId } : {}),
      rootDeviceName: input.rootDeviceName,
      blockDeviceMappings: mappings.mappings,
      enaSupport: input.enaSupport === true,
      ...(input.sriovNetSupport ? { sriovNetSupport: "simple" as const } : {}),
      ...(input.bootMode ? { bootMode: input.bootMode } : {}),
      ...(input.uefiData !== undefined ? { uefiData: input.uefiData } : {}),
      createdAt: now,
      availableAt: new Date(now.getTime() + this.delays.imageAvailableMs),
      tags: input.tags,
    });
    if ((await this.repo.insert(image)) === "duplicate") {
      throw Errors.amiNameDuplicate(input.name, (await this.repo.findByName(caller.accountId, caller.region, input.name)) ?? "another image");
    }
    return image;
  }

  /** The page of matching images (all of them without MaxResults: EC2 does not paginate unless asked), with their tags. */
  async describe(caller: Caller, query: ImageQuery, pageRequest: { MaxResults?: number; NextToken?: string } = {}): Promise<Page<Image>> {
    for (const id of query.imageIds ?? []) if (!isImageId(id)) throw Errors.amiMalformed(id);
    for (const owner of query.owners ?? []) {
      if (!["self", "amazon", "aws-marketplace", "aws-backup-vault"].includes(owner) && !/^\d{12}$/.test(owner)) {
        throw Errors.invalidUserId(owner);
      }
    }
    for (const user of query.executableUsers ?? []) {
      if (user !== "self" && user !== "all" && !/^\d{12}$/.test(user))
        throw Errors.invalidUserId(user, "ExecutableBy takes self, all or a 12-digit account id.");
    }
    // The name and tag filters also narrow what is read; the filters still run on it below.
    const namePatterns = query.filters?.filter((f) => f.Name === "name").flatMap((f) => f.Values ?? []);
    const narrow = {
      imageIds: query.imageIds,
      owners: query.owners?.filter((owner) => owner === "self" || owner === "amazon" || /^\d{12}$/.test(owner)),
      nameStartsWith: literalPrefixes(namePatterns),
      tags: tagNarrowings(query.filters),
    };
    const ids = query.imageIds?.length ? query.imageIds : undefined;
    const tagFiltered = query.filters?.some((filter) => filter.Name === "tag-key" || filter.Name === "tag-value" || filter.Name?.startsWith("tag:")) ?? false;
    // Without ids, each read is kept or dropped as it arrives, and a page asked for with MaxResults ends the reading
    // once it and one image past it are found (which says there is a next page): the console's first page of an
    // account's 10,000 images read and decoded every one of them for 100.
    const enough = ids || pageRequest.MaxResults === undefined ? undefined : { after: tokenKey(pageRequest.NextToken), count: pageRequest.MaxResults + 1 };
    // Read a page of rows a turn of the event loop: the store reads synchronously, and 10,000 images are tens of
    // milliseconds of decoding other requests should not wait for.
    let images: Image[] = [];
    for (let afterId: string | undefined; ; ) {
      const read = await this.repo.visible(caller.accountId, caller.region, { ...narrow, ...(afterId !== undefined ? { afterId } : {}), take: imagesPerRead });
      const kept = ids ? read : await this.kept(caller, query, read, tagFiltered);
      images = images.length === 0 ? kept : images.concat(kept);
      if (read.length < imagesPerRead || (enough && countAfter(images, enough.after) >= enough.count)) break;
      afterId = read[read.length - 1]!.imageId;
      await letOthersRun();
    }
    const deregistered = ids ? await this.recentlyDeregistered(caller) : await this.kept(caller, query, await this.recentlyDeregistered(caller), tagFiltered);
    // One list in id order, as pages are cut by id.
    if (deregistered.length > 0) images = [...images, ...deregistered].sort((a, b) => (a.imageId < b.imageId ? -1 : a.imageId > b.imageId ? 1 : 0));
    if (ids) {
      const missing = ids.filter((id) => !images.some((image) => image.imageId === id));
      if (missing.length > 0) throw Errors.amiNotFound(missing);
      images = await this.kept(
        caller,
        query,
        images.filter((image) => ids.includes(image.imageId)),
        tagFiltered,
      );
    }
    const page = paginate(images, (image) => image.imageId, pageRequest, Number.MAX_SAFE_INTEGER);
    if (!tagFiltered) await this.withTags(caller, page.items);
    return page;
  }

  /**
   * The images the query keeps: its owners, its ExecutableBy users and its filters. Tags are read for them first
   * only if a tag filter needs them (else for the page shown); the filters run a chunk of images at a time, letting
   * other requests in between (200 wildcard values over 10,000 images is a lot of matching).
   */
  private async kept(caller: Caller, query: ImageQuery, list: Image[], tagFiltered: boolean): Promise<Image[]> {
    let images = list;
    if (query.owners?.length) {
      const owners = query.owners;
      images = images.filter((image) =>
        owners.some((owner) =>
          owner === "self" ? image.accountId === caller.accountId : owner === "amazon" ? image.ownerAlias === "amazon" : image.accountId === owner,
        ),
      );
    }
    if (query.executableUsers?.length) {
      const users = query.executableUsers;
      images = images.filter((image) => users.some((user) => isExecutableBy(image, user, caller.accountId)));
    }
    if (tagFiltered) await this.withTags(caller, images);
    if (query.filters?.length) images = await filterYielding(images, filterPredicate(query.filters, imageFilters(this.clock)));
    return images;
  }

  /** Puts the caller's tags on the stored images of the list (a deregistered one keeps those it was shown with). */
  private async withTags(caller: Caller, images: Image[]): Promise<void> {
    const stored = images.filter((image) => image.deregisteredAt === undefined);
    const tags = await this.repo.tagsOfImages(
      caller.accountId,
      caller.region,
      stored.map((image) => image.imageId),
    );
    for (const image of stored) image.tags = tags.get(image.imageId) ?? [];
  }

  /** The caller's own image, deregistered; answered as it was, for the snapshots it named. */
  async deregister(caller: Caller, imageId: string): Promise<Image> {
    const image = await visibleImage(this.repo, caller, imageId);
    if (image.accountId !== caller.accountId) throw Errors.notAuthorizedForImage(imageId);
    await this.repo.delete(caller.accountId, caller.region, imageId, this.clock.now());
    return image;
  }

  /**
   * EC2 shows a deregistered image in DescribeImages for a short interval, state deregistered, then answers
   * NotFound: those the caller could see, still within the interval. Their tags are their owner's.
   */
  private async recentlyDeregistered(caller: Caller): Promise<Image[]> {
    const now = this.clock.now();
    const recent = await this.repo.deregisteredSince(caller.region, new Date(now.getTime() - deregisteredVisibleMs));
    return recent
      .filter((image) => stillShown(image, now) && canLaunch(image, caller.accountId))
      .map((image) => (image.accountId === caller.accountId ? image : { ...image, tags: [] }));
  }

  /** The guest on an image's root snapshot: what an instance launched from it boots. */
  async rootGuest(caller: Caller, imageId: string): Promise<{ snapshotId: string; guest?: GuestModel }> {
    const image = await visibleImage(this.repo, caller, imageId);
    const snapshotId = image.blockDeviceMappings.find((m) => m.DeviceName === image.rootDeviceName)?.Ebs?.SnapshotId;
    const snapshot = snapshotId ? await this.repo.findSnapshot(caller.region, snapshotId) : undefined;
    if (!snapshot) {
      throw Errors.invalidParameterValue(`The image '${imageId}' is a ${image.imageType} image with no root snapshot: it has no guest disk of its own.`);
    }
    return { snapshotId: snapshot.snapshotId, ...(snapshot.guest ? { guest: snapshot.guest } : {}) };
  }

  async snapshotGuest(caller: Caller, snapshotId: string): Promise<{ snapshotId: string; guest?: GuestModel }> {
    if (!isWellFormedId(snapshotId, "snap")) throw Errors.snapshotMalformed(snapshotId);
    const snapshot = usableSnapshot(await this.repo.findSnapshot(caller.region, snapshotId), snapshotId, caller.accountId);
    return { snapshotId, ...(snapshot.guest ? { guest: snapshot.guest } : {}) };
  }

  /** The root device must map a snapshot the caller may use; sizes default to, and may not undercut, the snapshot's. */
  private async checkMappings(caller: Caller, rootDeviceName: string, requested: BlockDeviceMapping[]) {
    const root = requested.find((m) => m.DeviceName === rootDeviceName);
    if (!root?.Ebs?.SnapshotId) {
      throw Errors.invalidBlockDeviceMapping(
        `The root device ${rootDeviceName} must be mapped to an EBS snapshot: --block-device-mappings DeviceName=${rootDeviceName},Ebs={SnapshotId=snap-...}`,
      );
    }
    let rootSnapshotPartitioned = false;
    const mappings: BlockDeviceMapping[] = [];
    for (const mapping of requested) {
      if (!mapping.DeviceName) throw Errors.missingParameter("BlockDeviceMapping.N.DeviceName");
      if (!mapping.Ebs) {
        mappings.push(mapping);
        continue;
      }
      const snapshotId = mapping.Ebs.SnapshotId;
      let size = mapping.Ebs.VolumeSize;
      if (snapshotId) {
        if (!isWellFormedId(snapshotId, "snap")) throw Errors.snapshotMalformed(snapshotId);
        const snapshot = usableSnapshot(await this.repo.findSnapshot(caller.region, snapshotId), snapshotId, caller.accountId);
        if (size !== undefined && size < snapshot.volumeSize) {
          throw Errors.invalidBlockDeviceMapping(`Volume of size ${size}GB is smaller than snapshot '${snapshotId}', expect size >= ${snapshot.volumeSize}GB`);
        }
        size ??= snapshot.volumeSize;
        if (mapping === root) rootSnapshotPartitioned = snapshot.guest !== undefined && snapshot.guest.disk.partitionTable !== "none";
      } else if (size === undefined) {
        throw Errors.invalidBlockDeviceMapping(`The block device ${mapping.DeviceName} needs a snapshot id or a volume size.`);
      }
      mappings.push({
        DeviceName: mapping.DeviceName,
        Ebs: {
          ...(snapshotId ? { SnapshotId: snapshotId } : {}),
          VolumeSize: size,
          VolumeType: mapping.Ebs.VolumeType ?? "gp2",
          DeleteOnTermination: mapping.Ebs.DeleteOnTermination ?? true,
          Encrypted: mapping.Ebs.Encrypted ?? false,
        },
      });
    }
    return { mappings, rootSnapshotPartitioned };
  }

  /** With no kernel id, the region's PV-GRUB 1.05 AKI of the image's architecture: hd00 for a partitioned disk. */
  /** The image under this id if the caller may use it (a kernel or ramdisk a registration names). */
  private async usableImage(caller: Caller, imageId: string): Promise<Image | undefined> {
    const image = await this.repo.find(caller.region, imageId);
    return image && canLaunch(image, caller.accountId) ? image : undefined;
  }

  private async defaultPvGrub(caller: Caller, architecture: string, partitioned: boolean): Promise<string> {
    const name = `pv-grub-${partitioned ? "hd00" : "hd0"}_1.05-${architecture}.gz`;
    const kernelId = await this.repo.findByName(amazonAccountId, caller.region, name);
    if (!kernelId) throw Errors.invalidParameterValue(`There is no PV-GRUB kernel for ${architecture} in this region. Pass --kernel-id.`);
    return kernelId;
  }
}

/**
 * The literal text before each pattern's first wildcard; none when any pattern starts with one (nothing to narrow
 * by) or when there are more than a call may carry (the filters refuse them). A prefix is cut at the longest name
 * an image may have: a longer one matches nothing anyway, and SQLite refuses very long LIKE patterns.
 */
const maxImageNameLength = 128;

function literalPrefixes(patterns: string[] | undefined): string[] | undefined {
  if (!patterns?.length || patterns.length > 200) return undefined;
  const prefixes = patterns.map((pattern) => pattern.split(/[*?\\]/, 1)[0]!.slice(0, maxImageNameLength));
  return prefixes.some((prefix) => prefix === "") ? undefined : prefixes;
}

/** Rows read between two turns of the event loop. */
const imagesPerRead = 1000;

/** The id a NextToken resumes after, if any (a malformed token is refused as paginate() refuses it). */
function tokenKey(token: string | undefined): string | undefined {
  return token === undefined ? undefined : decodeToken(token);
}

/** How many of the images (in id order) come after the id, all of them without one. */
function countAfter(images: readonly Image[], after: string | undefined): number {
  if (after === undefined) return images.length;
  const first = images.findIndex((image) => image.imageId > after);
  return first < 0 ? 0 : images.length - first;
}

const isImageId = (id: string) => isWellFormedId(id, "ami", "aki", "ari");

/** An image of the caller's region that the caller may see (own, public, shared): EC2's errors otherwise. */
export async function visibleImage(repo: ImagesRepo, caller: Caller, imageId: string, region = caller.region): Promise<Image> {
  if (!isImageId(imageId)) throw Errors.amiMalformed(imageId);
  const image = await repo.find(region, imageId);
  if (!image || !canLaunch(image, caller.accountId)) throw Errors.amiNotFound([imageId]);
  return image;
}

/**
 * The hash of the catalogs a start compares with the seeded one, kept per list of regions for the life of the
 * process: the catalog is a pure function of the region, and building and hashing it again was most of a server
 * start's own work (80 ms at each of the test suite's hundred in-process starts). The catalogs themselves are built
 * again when a seed needs them, rather than held.
 */
const catalogVersions = new Map<string, string>();

function regionCatalogs(regions: readonly string[]) {
  const catalogs = regions.map((region) => ({ region, ...amazonCatalog(region, new Date("2024-12-13T00:00:00.000Z")) }));
  catalogVersions.set(regions.join(" "), createHash("sha256").update(JSON.stringify(catalogs)).digest("hex"));
  return catalogs;
}
