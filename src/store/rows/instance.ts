// The Instance table's one codec. blockDeviceMappings is the launch's device list as JSON (its AttachTime revived
// as a Date), options the instance's settings as JSON (a row older than a setting reads EC2's default for it); tags, volumes and the group's name live in their own tables and are not columns.
import { defaultOptions, type InstanceOptions } from "../../domain/instance-options.js";
import type { Instance, InstanceBlockDevice } from "../../domain/instances.js";
import type { Tag } from "../../domain/tags.js";
import type { Instance as InstanceRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type { InstanceRow };

export const instanceColumns = new SqliteColumns<InstanceRow>("Instance", {
  dates: { launchTime: true, stateChangedAt: true, transitionEndsAt: true, bootedAt: true },
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

/**
 * One pass over the row (DescribeInstances maps a hundred a page): NULL columns become absent optional fields.
 * The two JSON columns cost more than the other forty: the options of most instances are one of a few texts, so
 * each text is decoded once and its (frozen) settings shared; the device list, which a stored instance reports
 * from its volumes instead, is decoded only when something reads it.
 */
export function instanceFromRow(row: InstanceRow, tags: Tag[]): Instance {
  const instance: Record<string, unknown> = {};
  for (const column in row) {
    const value = row[column as keyof InstanceRow];
    if (value !== null) instance[column] = value;
  }
  lazyDevices(instance, row.blockDeviceMappings);
  instance.options = optionsOf(row.options);
  instance.tags = tags;
  return instance as unknown as Instance;
}

/** blockDeviceMappings as a property decoded on first read (a spread or a filter reads it; serializing volumes does not). */
function lazyDevices(instance: Record<string, unknown>, json: string): void {
  let devices: InstanceBlockDevice[] | undefined;
  Object.defineProperty(instance, "blockDeviceMappings", {
    enumerable: true,
    configurable: true,
    get() {
      if (!devices) {
        devices = JSON.parse(json) as InstanceBlockDevice[];
        for (const device of devices) device.Ebs.AttachTime = new Date(device.Ebs.AttachTime);
      }
      return devices;
    },
    set(value: InstanceBlockDevice[]) {
      devices = value;
    },
  });
}

/** Decoded settings by their JSON text; cleared when full, so a store of many distinct settings stays bounded. */
const optionsByText = new Map<string, InstanceOptions>();
const maxOptionTexts = 1000;

function optionsOf(json: string): InstanceOptions {
  let options = optionsByText.get(json);
  if (!options) {
    options = deepFreeze({ ...defaultOptions, ...(JSON.parse(json) as Partial<InstanceOptions>) });
    if (optionsByText.size >= maxOptionTexts) optionsByText.clear();
    optionsByText.set(json, options);
  }
  return options;
}

/** Shared between instances, so never changed in place (a change builds new options, as ModifyInstanceAttribute does). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
