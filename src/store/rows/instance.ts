// The Instance table's one codec. blockDeviceMappings is the launch's device list as JSON (its AttachTime revived
// as a Date), options the instance's settings as JSON (a row older than a setting reads EC2's default for it); tags, volumes and the group's name live in their own tables and are not columns.
import { defaultOptions, type InstanceOptions } from "../../domain/instance-options.js";
import type { Instance, InstanceBlockDevice } from "../../domain/instances.js";
import type { Tag } from "../../domain/tags.js";
import type { Instance as InstanceRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { InstanceRow };

export const instanceColumns = new SqliteColumns<InstanceRow>("Instance", {
  dates: { launchTime: true, stateChangedAt: true, transitionEndsAt: true },
  booleans: { enaSupport: true, disableApiTermination: true },
});

/** The columns of an instance, or of the part of one that changes: absent fields are left out, not set to NULL. */
export function instanceToRow(data: Partial<Instance>): Partial<InstanceRow> {
  const { tags: _tags, placementGroupName: _name, volumes: _volumes, interfaces: _interfaces, blockDeviceMappings, options, ...rest } = data;
  return {
    ...rest,
    ...(blockDeviceMappings ? { blockDeviceMappings: JSON.stringify(blockDeviceMappings) } : {}),
    ...(options ? { options: JSON.stringify(options) } : {}),
  };
}

/** One pass over the row (DescribeInstances maps a hundred a page): NULL columns become absent optional fields. */
export function instanceFromRow(row: InstanceRow, tags: Tag[]): Instance {
  const instance: Record<string, unknown> = {};
  for (const column in row) {
    const value = row[column as keyof InstanceRow];
    if (value !== null) instance[column] = value;
  }
  const devices = JSON.parse(row.blockDeviceMappings) as InstanceBlockDevice[];
  for (const device of devices) device.Ebs.AttachTime = new Date(device.Ebs.AttachTime);
  instance.blockDeviceMappings = devices;
  instance.options = { ...defaultOptions, ...(JSON.parse(row.options) as Partial<InstanceOptions>) };
  instance.tags = tags;
  return instance as unknown as Instance;
}
