// CreateTags and DeleteTags on any taggable resource the caller may see, found by its id's prefix, and DescribeTags.
// Tags belong to the caller's account: tagging a public image tags it for the caller alone, as in EC2.
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { type IdPrefix, isWellFormedId } from "../domain/ids.js";
import { type ResourceTag, resourceTagFilters } from "../domain/filters/tags.js";
import { canLaunch } from "../domain/images.js";
import { usableSnapshot } from "../domain/snapshots.js";
import { checkUserTagKey, maxTagsPerResource, type Tag, validateTags } from "../domain/tags.js";
import { dhcpOptionsIdFor } from "../domain/vpc-rules.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { KeyPairsRepo } from "../store/key-pairs-repo.js";
import { type NetworkPrefix, type NetworkRepo, networkTables } from "../store/network-repo.js";
import type { TagsRepo } from "../store/tags-repo.js";
import type { VolumesRepo } from "../store/volumes-repo.js";
import type { HostService } from "./hosts.js";
import type { InstanceService } from "./instances.js";
import type { LaunchTemplateService } from "./launch-templates.js";
import type { PlacementGroupService } from "./placement-groups.js";

export interface TaggableResources {
  tags: TagsRepo;
  images: ImagesRepo;
  keyPairs: KeyPairsRepo;
  volumes: VolumesRepo;
  instances: InstanceService;
  hosts: HostService;
  groups: PlacementGroupService;
  launchTemplates: LaunchTemplateService;
  network: NetworkRepo;
}

/** Each networking kind's not-found error, by id prefix. */
const networkNotFound: Record<NetworkPrefix, (id: string) => Error> = {
  vpc: Errors.vpcNotFound,
  subnet: Errors.subnetNotFound,
  sg: Errors.groupNotFound,
  sgr: Errors.ruleNotFound,
  igw: Errors.internetGatewayNotFound,
  rtb: Errors.routeTableNotFound,
  acl: Errors.networkAclNotFound,
  eni: Errors.networkInterfaceNotFound,
  eipalloc: Errors.allocationNotFound,
};

export class TagService {
  constructor(private readonly resources: TaggableResources) {}

  async create(caller: Caller, resourceIds: readonly string[], tags: Tag[]): Promise<void> {
    validateTags(tags);
    const resources = await Promise.all(resourceIds.map((id) => this.resolve(caller, id)));
    if ((await this.resources.tags.put(caller, resources, tags, maxTagsPerResource)) === "limit") throw Errors.tagLimitExceeded();
  }

  async delete(caller: Caller, resourceIds: readonly string[], tags: ReadonlyArray<{ Key?: string; Value?: string }>): Promise<void> {
    for (const tag of tags) checkUserTagKey(tag.Key ?? "");
    for (const id of resourceIds) await this.resolve(caller, id);
    await this.resources.tags.remove(
      caller,
      resourceIds,
      tags.map((tag) => ({ Key: tag.Key ?? "", ...(tag.Value !== undefined ? { Value: tag.Value } : {}) })),
    );
  }

  /** The caller's tags on every resource, in resource id then key order, that match the filters. */
  async describe(caller: Caller, filters?: readonly Filter[]): Promise<ResourceTag[]> {
    return applyFilters(await this.resources.tags.list(caller), filters, resourceTagFilters);
  }

  /** The resource type of an id the caller may tag; EC2's not-found error for its kind otherwise. */
  private async resolve(caller: Caller, id: string): Promise<{ resourceId: string; resourceType: string }> {
    const { images, keyPairs, volumes, instances, hosts, groups, launchTemplates } = this.resources;
    const prefix = id.slice(0, id.indexOf("-"));
    // EC2 answers InvalidID for any id not of a taggable kind's form, a known prefix included (ami-blah).
    if (!isWellFormedId(id, prefix as IdPrefix)) throw Errors.invalidId(id);
    switch (prefix) {
      case "ami":
      case "aki":
      case "ari": {
        const image = await images.find(caller.region, id);
        if (!image || !canLaunch(image, caller.accountId)) throw Errors.amiNotFound([id]);
        return { resourceId: id, resourceType: "image" };
      }
      case "snap": {
        usableSnapshot(await images.findSnapshot(caller.region, id), id, caller.accountId);
        return { resourceId: id, resourceType: "snapshot" };
      }
      case "vol": {
        if (!(await volumes.find(caller, id))) throw Errors.volumeNotFound([id]);
        return { resourceId: id, resourceType: "volume" };
      }
      case "key": {
        if (!(await keyPairs.exists(caller, id))) throw Errors.keyPairIdNotFound(id);
        return { resourceId: id, resourceType: "key-pair" };
      }
      // The services' own lookups throw their not-found errors.
      case "i":
        await instances.get(caller, [id]);
        return { resourceId: id, resourceType: "instance" };
      case "h":
        await hosts.describe(caller, [id]);
        return { resourceId: id, resourceType: "dedicated-host" };
      case "pg":
        await groups.describe(caller, undefined, [id]);
        return { resourceId: id, resourceType: "placement-group" };
      case "lt":
        await launchTemplates.describe(caller, { ids: [id] });
        return { resourceId: id, resourceType: "launch-template" };
      // The account's one DHCP options set in the region (Terraform's aws_default_vpc_dhcp_options tags it).
      case "dopt":
        if (id !== dhcpOptionsIdFor(caller)) throw Errors.dhcpOptionsNotFound(id);
        return { resourceId: id, resourceType: "dhcp-options" };
      default: {
        if (!(prefix in networkTables)) throw Errors.invalidId(id);
        const kind = prefix as NetworkPrefix;
        if (!this.resources.network.exists(caller, kind, id)) throw networkNotFound[kind](id);
        return { resourceId: id, resourceType: networkTables[kind].resourceType };
      }
    }
  }
}
