// CreateTags and DeleteTags on any taggable resource the caller may see, found by its id's prefix. Tags belong to
// the caller's account: tagging a public image tags it for the caller alone, as in EC2.
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type ResourceTag, resourceTagFilters } from "../domain/filters/tags.js";
import { canLaunch } from "../domain/images.js";
import { canUseSnapshot } from "../domain/snapshots.js";
import { maxTagsPerResource, type Tag, validateTags } from "../domain/tags.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { KeyPairsRepo } from "../store/key-pairs-repo.js";
import type { TagsRepo } from "../store/tags-repo.js";
import type { VolumesRepo } from "../store/volumes-repo.js";

/** Checks that the caller may tag the resource (throwing EC2's not-found error otherwise) and names its type. */
export type TaggableResolver = (caller: Caller, id: string) => Promise<string>;

export class TagService {
  constructor(
    private readonly tags: TagsRepo,
    private readonly images: ImagesRepo,
    private readonly keyPairs: KeyPairsRepo,
    private readonly volumes: VolumesRepo,
    /** Resolvers of the other resource kinds, by id prefix (i, h, pg, ...). */
    private readonly others: Record<string, TaggableResolver> = {},
  ) {}

  async create(caller: Caller, resourceIds: readonly string[], tags: Tag[]): Promise<void> {
    validateTags(tags);
    const resources = await Promise.all(resourceIds.map((id) => this.resolve(caller, id)));
    if ((await this.tags.put(caller, resources, tags, maxTagsPerResource)) === "limit") throw Errors.tagLimitExceeded();
  }

  async delete(caller: Caller, resourceIds: readonly string[], tags: ReadonlyArray<{ Key?: string; Value?: string }>): Promise<void> {
    for (const id of resourceIds) await this.resolve(caller, id);
    await this.tags.remove(caller, resourceIds, tags.map((tag) => ({ Key: tag.Key ?? "", ...(tag.Value !== undefined ? { Value: tag.Value } : {}) })));
  }

  /** The caller's tags on every resource, in resource id then key order, that match the filters. */
  async describe(caller: Caller, filters?: readonly Filter[]): Promise<ResourceTag[]> {
    return applyFilters(await this.tags.list(caller), filters, resourceTagFilters);
  }

  /** The resource type of an id the caller may tag; EC2's not-found error for its kind otherwise. */
  private async resolve(caller: Caller, id: string): Promise<{ resourceId: string; resourceType: string }> {
    const prefix = id.slice(0, id.indexOf("-"));
    switch (prefix) {
      case "ami":
      case "aki":
      case "ari": {
        const image = await this.images.find(caller.region, id);
        if (!image || !canLaunch(image, caller.accountId)) throw Errors.amiNotFound([id]);
        return { resourceId: id, resourceType: "image" };
      }
      case "snap": {
        const snapshot = await this.images.findSnapshot(caller.region, id);
        if (!snapshot || !canUseSnapshot(snapshot, caller.accountId)) throw Errors.snapshotNotFound(id);
        return { resourceId: id, resourceType: "snapshot" };
      }
      case "vol": {
        if (!(await this.volumes.find(caller, id))) throw Errors.volumeNotFound([id]);
        return { resourceId: id, resourceType: "volume" };
      }
      case "key": {
        if (!(await this.keyPairs.exists(caller, id))) throw Errors.keyPairIdNotFound(id);
        return { resourceId: id, resourceType: "key-pair" };
      }
      default:
        if (Object.hasOwn(this.others, prefix)) return { resourceId: id, resourceType: await this.others[prefix]!(caller, id) };
        throw Errors.invalidId(id);
    }
  }
}
