// CopyImage: a new private image of the caller's in the region the request is signed for, copied from an image
// the caller may launch in the source region, with new snapshots that carry the same guest. A paravirtual image's
// PV-GRUB kernel becomes the destination region's AKI of the same name. ClientToken makes the call idempotent.
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { type BlockDeviceMapping, type Image, imageState, validateImageName } from "../domain/images.js";
import type { Topology } from "../domain/regions.js";
import { newSnapshot, type Snapshot } from "../domain/snapshots.js";
import { type Tag, validateTags } from "../domain/tags.js";
import type { ImagesRepo } from "../store/images-repo.js";
import { visibleImage } from "./images.js";
import type { EbsEncryptionRepo } from "../store/ebs-encryption-repo.js";

export interface CopyImageInput {
  sourceRegion: string;
  sourceImageId: string;
  name: string;
  description?: string;
  clientToken?: string;
  encrypted?: boolean;
  copyImageTags?: boolean;
  imageTags: Tag[];
  snapshotTags: Tag[];
}

export class CopyImageService {
  constructor(
    private readonly repo: ImagesRepo,
    private readonly clock: Clock,
    private readonly delays: Delays,
    private readonly topology: Topology,
    /** EBS encryption by default in the destination: every copied snapshot encrypted while on. */
    private readonly ebsEncryption: EbsEncryptionRepo,
  ) {}

  async copy(caller: Caller, input: CopyImageInput): Promise<string> {
    validateImageName(input.name);
    if (!this.topology.region(input.sourceRegion)) throw Errors.invalidRegionNames([input.sourceRegion]);
    if (input.clientToken) {
      const earlier = await this.repo.findByClientToken(caller.accountId, caller.region, input.clientToken);
      if (earlier && !sameCopy(earlier, input)) throw Errors.idempotentParameterMismatch(input.clientToken);
      if (earlier) return earlier.imageId;
    }
    const source = await visibleImage(this.repo, caller, input.sourceImageId, input.sourceRegion);
    if (source.imageType !== "machine") {
      throw Errors.invalidParameterValue(
        `'${source.imageId}' is a ${source.imageType} image: CopyImage copies machine images (AMIs), and each region has its own PV-GRUB kernels.`,
      );
    }
    const now = this.clock.now();
    const state = imageState(source, now);
    if (state !== "available") throw Errors.incorrectImageState(source.imageId, state, "available to be copied");

    const imageId = newId("ami");
    const availableAt = new Date(now.getTime() + this.delays.imageCopyMs);
    const encryptByDefault = await this.ebsEncryption.isEnabled(caller);
    const snapshots: Snapshot[] = [];
    const mappings: BlockDeviceMapping[] = [];
    for (const mapping of source.blockDeviceMappings) {
      const sourceSnapshotId = mapping.Ebs?.SnapshotId;
      if (!sourceSnapshotId) {
        mappings.push(mapping);
        continue;
      }
      const sourceSnapshot = await this.repo.findSnapshot(input.sourceRegion, sourceSnapshotId);
      if (!sourceSnapshot) throw Errors.snapshotNotFound(sourceSnapshotId);
      const encrypted = input.encrypted === true || sourceSnapshot.encrypted || encryptByDefault;
      const snapshot = newSnapshot(
        caller,
        {
          volumeSize: sourceSnapshot.volumeSize,
          description: `Copied for DestinationAmi ${imageId} from SourceAmi ${source.imageId} for SourceSnapshot ${sourceSnapshotId}. Task created on ${now.getTime().toLocaleString("en-US")}.`,
          encrypted,
          guest: sourceSnapshot.guest,
        },
        { startTime: now, completesAt: availableAt },
      );
      snapshots.push(snapshot);
      mappings.push({ ...mapping, Ebs: { ...mapping.Ebs, SnapshotId: snapshot.snapshotId, Encrypted: encrypted } });
    }

    const description = input.description ?? source.description;
    const copy: Image = {
      imageId,
      accountId: caller.accountId,
      region: caller.region,
      name: input.name,
      ...(description !== undefined ? { description } : {}),
      public: false,
      imageType: "machine",
      architecture: source.architecture,
      virtualizationType: source.virtualizationType,
      ...(source.kernelId ? { kernelId: await this.counterpart(source, source.kernelId, caller.region) } : {}),
      ...(source.ramdiskId ? { ramdiskId: await this.counterpart(source, source.ramdiskId, caller.region) } : {}),
      ...(source.rootDeviceName ? { rootDeviceName: source.rootDeviceName } : {}),
      rootDeviceType: source.rootDeviceType,
      blockDeviceMappings: mappings,
      enaSupport: source.enaSupport,
      ...(source.sriovNetSupport ? { sriovNetSupport: source.sriovNetSupport } : {}),
      ...(source.bootMode ? { bootMode: source.bootMode } : {}),
      ...(source.platform ? { platform: source.platform } : {}),
      createdAt: now,
      availableAt,
      sourceImageId: source.imageId,
      sourceRegion: input.sourceRegion,
      ...(input.clientToken ? { clientToken: input.clientToken } : {}),
      launchPermissions: [],
      tags: await this.copyTags(caller, input),
    };
    if ((await this.repo.insert(copy, snapshots, input.snapshotTags)) === "duplicate") {
      // Two requests with one token at once: the first one's image is the answer to both.
      const raced = input.clientToken ? await this.repo.findByClientToken(caller.accountId, caller.region, input.clientToken) : undefined;
      if (raced && sameCopy(raced, input)) return raced.imageId;
      throw Errors.amiNameDuplicate(input.name, (await this.repo.findByName(caller.accountId, caller.region, input.name)) ?? "another image");
    }
    return imageId;
  }

  /** The destination region's kernel (or ramdisk) image of the same owner and name as the source's. */
  private async counterpart(source: Image, imageId: string, region: string): Promise<string> {
    const original = await this.repo.find(source.region, imageId);
    const found = original ? await this.repo.findByName(original.accountId, region, original.name) : undefined;
    if (!found) {
      throw Errors.invalidParameterValue(
        `The image '${source.imageId}' boots the kernel image '${imageId}'${original ? ` (${original.name})` : ""}, which has no counterpart in ${region}: a paravirtual image can be copied only to a region with PV-GRUB.`,
      );
    }
    return found;
  }

  /** The caller's own tags on the source when asked (CopyImageTags), then the request's, which win on a key. */
  private async copyTags(caller: Caller, input: CopyImageInput): Promise<Tag[]> {
    const copied = input.copyImageTags ? await this.repo.tagsOf(caller.accountId, input.sourceRegion, input.sourceImageId) : [];
    const byKey = new Map([...copied, ...input.imageTags].map((tag) => [tag.Key, tag]));
    const tags = [...byKey.values()];
    validateTags(tags);
    return tags;
  }
}

function sameCopy(earlier: Image, input: CopyImageInput): boolean {
  return earlier.sourceImageId === input.sourceImageId && earlier.sourceRegion === input.sourceRegion && earlier.name === input.name;
}
