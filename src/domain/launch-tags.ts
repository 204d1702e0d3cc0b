// The tags a launch puts on what it creates (RunInstances' TagSpecifications, and a launch template's): the instances,
// their volumes, the network interfaces it creates and, for a Spot launch, the Spot requests. EC2's RunInstances and
// LaunchTemplateTagSpecificationRequest both name exactly these four resource types.
import { Errors } from "./errors.js";
import { type Tag, type TagSpecificationInput, tagsByResourceType } from "./tags.js";

export const launchTaggedTypes = ["instance", "volume", "network-interface", "spot-instances-request"] as const;
export type LaunchTaggedType = (typeof launchTaggedTypes)[number];

/**
 * Each launch-tagged type's tags. A type the launch cannot create is refused, never dropped: Spot request tags on an
 * On-Demand launch, and elastic GPU tags (EC2 still names the type; mini-ec2, like EC2 today, creates no elastic GPUs).
 * Network interface tags with only existing interfaces are the launch service's to refuse: it knows the interfaces.
 */
export function launchTags(specifications: readonly TagSpecificationInput[] | undefined, spotLaunch: boolean): Record<LaunchTaggedType, Tag[]> {
  if (specifications?.some((specification) => specification.ResourceType === "elastic-gpu")) throw Errors.elasticGpuTagsWithoutElasticGpu();
  const tags = tagsByResourceType(specifications, launchTaggedTypes);
  if (!spotLaunch && tags["spot-instances-request"].length > 0) throw Errors.spotRequestTagsWithoutSpotRequest();
  return tags;
}
