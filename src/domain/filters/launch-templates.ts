// DescribeLaunchTemplates' and DescribeLaunchTemplateVersions' filter names, read from a template or a version.
import type { FilterSpec } from "../filters.js";
import type { LaunchTemplate, LaunchTemplateVersion } from "../launch-templates.js";

export const launchTemplateFilters: FilterSpec<LaunchTemplate> = {
  fields: {
    "create-time": (t) => t.createdAt.toISOString(),
    "launch-template-name": (t) => t.launchTemplateName,
  },
  tags: (t) => t.tags,
};

/** A version with whether it is its template's default, which the version alone does not know. */
export type VersionView = LaunchTemplateVersion & { isDefault: boolean };

export const launchTemplateVersionFilters: FilterSpec<VersionView> = {
  fields: {
    "create-time": (v) => v.createdAt.toISOString(),
    "image-id": (v) => v.data.ImageId,
    "instance-type": (v) => v.data.InstanceType,
    "is-default-version": (v) => v.isDefault,
    "kernel-id": (v) => v.data.KernelId,
    "ram-disk-id": (v) => v.data.RamDiskId,
  },
};
