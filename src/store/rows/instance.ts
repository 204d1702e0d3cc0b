// The Instance table's one codec. blockDeviceMappings is the launch's device list as JSON (its AttachTime revived
// as a Date), options the instance's settings as JSON (a row older than a setting reads EC2's default for it); tags, volumes and the group's name live in their own tables and are not columns.
import { defaultOptions, type InstanceOptions } from "../../domain/instance-options.js";
import type { Instance, InstanceBlockDevice } from "../../domain/instances.js";
import type { Instance as InstanceRow } from "../generated/client.js";
import { epochOf, SqliteColumns } from "./columns.js";

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
 * The decoder of an Instance statement's rows, compiled once for its columns (DescribeInstances decodes a hundred a
 * page): each value converted in place of the row object and the copy of it that came before (dates, booleans, NULL
 * as undefined, the options shared by their text), and every instance of one shape, so the code that reads them stays
 * monomorphic. The two JSON columns cost more than the other forty: the options of most instances are one of a few
 * texts, each decoded once and its (frozen) settings shared; the device list, which a stored instance reports from its
 * volumes instead, is decoded only when something reads it, by a getter on the class (a per-object accessor, as
 * Object.defineProperty makes, cost more than the rest of the decoding together). A spread copy of a stored instance
 * has no device list: nothing that copies one reads it.
 */
export function storedInstanceDecoder(columns: readonly string[]): (values: unknown[]) => Instance {
  const assignments = columns.map((column, index) => {
    const value = `values[${index}]`;
    if (column === "blockDeviceMappings") return `this.#devicesJson = ${value};`;
    const decoded = column === "options" ? `optionsOf(${value})` : instanceColumns.valueExpression(column, value);
    return `this[${JSON.stringify(column)}] = ${decoded};`;
  });
  const StoredInstance = new Function(
    "optionsOf",
    "epochOf",
    "decodeDevices",
    `return class StoredInstance {
      #devicesJson; #devices;
      constructor(values) { ${assignments.join(" ")} this.tags = []; this.volumes = undefined; this.interfaces = undefined; this.placementGroupName = undefined; }
      get blockDeviceMappings() { return (this.#devices ??= decodeDevices(this.#devicesJson)); }
      set blockDeviceMappings(devices) { this.#devices = devices; }
    };`,
  )(optionsOf, epochOf, decodeDevices) as new (
    values: unknown[],
  ) => Instance;
  return (values) => new StoredInstance(values);
}

function decodeDevices(json: string): InstanceBlockDevice[] {
  const devices = JSON.parse(json) as InstanceBlockDevice[];
  for (const device of devices) device.Ebs.AttachTime = new Date(device.Ebs.AttachTime);
  return devices;
}

/** Decoded settings by their JSON text; cleared when full, so a store of many distinct settings stays bounded. */
const optionsByText = new Map<string, InstanceOptions>();
const maxOptionTexts = 1000;

let lastOptionsText = "";
let lastOptions: InstanceOptions | undefined;

function optionsOf(json: string): InstanceOptions {
  // The same text as the last row's is compared, not hashed: a page's rows mostly share one.
  if (json === lastOptionsText && lastOptions) return lastOptions;
  let options = optionsByText.get(json);
  if (!options) {
    options = deepFreeze(withDefaults(JSON.parse(json) as Partial<InstanceOptions>));
    if (optionsByText.size >= maxOptionTexts) optionsByText.clear();
    optionsByText.set(json, options);
  }
  lastOptionsText = json;
  lastOptions = options;
  return options;
}

/**
 * The stored settings, EC2's default for each one a row older than it lacks. Filled in place: a spread of a parsed
 * object copied through the runtime, four times the parse. A burstable instance's settings carry its own credit
 * history, so its text is its own and misses the cache: every instance of a page of them comes through here.
 */
function withDefaults(stored: Partial<InstanceOptions>): InstanceOptions {
  const settings = stored as Record<string, unknown>;
  for (const [key, value] of defaultEntries) if (settings[key] === undefined) settings[key] = value;
  return stored as InstanceOptions;
}

const defaultEntries = Object.entries(defaultOptions);

/** Shared between instances, so never changed in place (a change builds new options, as ModifyInstanceAttribute does). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
