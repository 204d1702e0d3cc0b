// Turns the flat, 1-based Query parameters (Filter.1.Value.2=x) into the typed input an operation's model
// describes ({ Filters: [{ Values: [, "x"] }] }), checking names, types, enums, ranges and required members.
// Member names in the result are the model's (and so the AWS SDK's) names: InstanceIds, Filters, DryRun.
import { Errors } from "../domain/errors.js";
import { type MemberRef, type Protocol, type ServiceModel, type Shape, shapeOf } from "./service-model.js";

type Params = ReadonlyArray<readonly [string, string]>;
type Node = Record<string, unknown> | unknown[];

/**
 * Enums whose valid values the service decides, not the model: an unknown instance type gets EC2's own error, and
 * DescribeAccountAttributes takes all six attributes EC2 documents where the model's enum lists two.
 */
const openEnums = new Set(["InstanceType", "AccountAttributeName"]);

/** Wire name -> member name, per structure shape; built once per shape. */
const wireNameIndex = new WeakMap<ServiceModel, Map<string, Map<string, string>>>();

export function parseOperationInput(model: ServiceModel, inputShapeName: string | undefined, params: Params): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  if (!inputShapeName) {
    if (params.length > 0) throw Errors.unknownParameter(params[0]![0]);
    return root;
  }
  const rootShape = shapeOf(model, { shape: inputShapeName });
  for (const [key, value] of params) {
    assign(model, root, rootShape, inputShapeName, key.split("."), 0, key, value);
  }
  return finish(model, root, rootShape, "") as Record<string, unknown>;
}

function wireNames(model: ServiceModel, shapeName: string, shape: Shape): Map<string, string> {
  let perModel = wireNameIndex.get(model);
  if (!perModel) wireNameIndex.set(model, (perModel = new Map()));
  let names = perModel.get(shapeName);
  if (!names) {
    names = new Map();
    for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
      names.set(wireName(model.protocol, memberName, ref), memberName);
    }
    perModel.set(shapeName, names);
  }
  return names;
}

// botocore's EC2Serializer and QuerySerializer, read in reverse.
function wireName(protocol: Protocol, memberName: string, ref: MemberRef): string {
  if (protocol === "ec2") {
    if (ref.queryName) return ref.queryName;
    if (ref.locationName) return ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1);
    return memberName;
  }
  return ref.locationName ?? memberName;
}

function assign(model: ServiceModel, container: Node, shape: Shape, shapeName: string, path: string[], depth: number, fullKey: string, value: string): void {
  const segment = path[depth];
  if (segment === undefined) throw Errors.unknownParameter(fullKey);
  if (shape.type === "structure") {
    const memberName = wireNames(model, shapeName, shape).get(segment);
    if (!memberName) throw Errors.unknownParameter(fullKey);
    const ref = shape.members![memberName]!;
    place(model, container as Record<string, unknown>, memberName, ref, path, depth + 1, fullKey, value);
    return;
  }
  if (shape.type === "list") {
    const ref = shape.member!;
    // awsQuery lists read Name.member.N unless flattened; EC2 lists are always Name.N.
    let indexDepth = depth;
    if (model.protocol === "query" && !shape.flattened) {
      if (segment !== (ref.locationName ?? "member")) throw Errors.unknownParameter(fullKey);
      indexDepth += 1;
    }
    const index = listIndex(path[indexDepth], fullKey);
    place(model, container as unknown[], index, ref, path, indexDepth + 1, fullKey, value);
    return;
  }
  throw Errors.unknownParameter(fullKey);
}

function place(
  model: ServiceModel,
  container: Record<string, unknown> | unknown[],
  slot: string | number,
  ref: MemberRef,
  path: string[],
  depth: number,
  fullKey: string,
  value: string,
): void {
  const shape = shapeOf(model, ref);
  const slots = container as Record<string | number, unknown>;
  if (shape.type === "structure" || shape.type === "list") {
    if (depth >= path.length) throw Errors.invalidParameterValue(`The parameter ${fullKey} needs a sub-field or an index, for example ${fullKey}.1`);
    slots[slot] ??= shape.type === "list" ? [] : {};
    assign(model, slots[slot] as Node, shape, ref.shape, path, depth, fullKey, value);
    return;
  }
  if (depth < path.length) throw Errors.unknownParameter(fullKey);
  slots[slot] = scalar(model.protocol, openEnums.has(ref.shape) ? { type: "string" } : shape, value, fullKey);
}

function listIndex(segment: string | undefined, fullKey: string): number {
  if (segment === undefined || !/^[1-9]\d{0,5}$/.test(segment)) {
    throw Errors.invalidParameterValue(`The parameter ${fullKey} has an invalid list index: indexes are whole numbers from 1.`);
  }
  return Number(segment);
}

/** Characters XML 1.0 cannot carry: accepted, they would come back in a response no client can parse. */
const notXmlChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function scalar(protocol: Protocol, shape: Shape, raw: string, name: string): unknown {
  if (notXmlChar.test(raw)) throw Errors.invalidParameterValue(`The value of ${name} contains control characters, which EC2 does not accept.`);
  switch (shape.type) {
    case "string":
      if (shape.enum && !shape.enum.includes(raw)) {
        throw Errors.invalidParameterValue(`Invalid value '${raw}' for ${name}. Valid values: ${shape.enum.join(", ")}.`);
      }
      return raw;
    case "integer":
    case "long": {
      if (!/^-?\d{1,16}$/.test(raw)) throw Errors.invalidParameterValue(`Invalid value '${raw}' for ${name}. It must be a whole number.`);
      const n = Number(raw);
      const param = name[0]!.toLowerCase() + name.slice(1);
      const tooSmall = shape.min !== undefined && n < shape.min;
      if (protocol === "query" && (tooSmall || (shape.max !== undefined && n > shape.max))) {
        throw Errors.validationError(param, raw, tooSmall ? `greater than or equal to ${shape.min}` : `less than or equal to ${shape.max}`);
      }
      if (tooSmall) throw Errors.valueTooSmall(param, raw, shape.min!);
      if (shape.max !== undefined && n > shape.max) throw Errors.valueTooLarge(param, raw, shape.max);
      return n;
    }
    case "double":
    case "float": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw Errors.invalidParameterValue(`Invalid value '${raw}' for ${name}. It must be a number.`);
      return n;
    }
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw Errors.invalidParameterValue(`Invalid value '${raw}' for ${name}. It must be true or false.`);
    case "timestamp": {
      const date = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(date.getTime())) throw Errors.invalidParameterValue(`Invalid value '${raw}' for ${name}. It must be an ISO 8601 date and time.`);
      return date;
    }
    case "blob":
      return new Uint8Array(Buffer.from(raw, "base64"));
    default:
      throw Errors.unknownParameter(name);
  }
}

/** Compacts sparse lists in index order and checks required members, now that every parameter is placed. */
function finish(model: ServiceModel, node: unknown, shape: Shape, path: string): unknown {
  if (shape.type === "list") {
    // Only the indexes that were set: a sparse list at index 999999 must not cost a million steps.
    const list = node as unknown[];
    return Object.keys(list)
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => finish(model, list[i], shapeOf(model, shape.member!), `${path}.${i}`));
  }
  if (shape.type !== "structure") return node;
  const record = node as Record<string, unknown>;
  for (const memberName of shape.required ?? []) {
    if (record[memberName] === undefined) {
      const ref = shape.members![memberName]!;
      throw Errors.missingParameter(path ? `${path}.${wireName(model.protocol, memberName, ref)}` : wireName(model.protocol, memberName, ref));
    }
  }
  for (const [memberName, child] of Object.entries(record)) {
    const ref = shape.members![memberName]!;
    record[memberName] = finish(
      model,
      child,
      shapeOf(model, ref),
      path ? `${path}.${wireName(model.protocol, memberName, ref)}` : wireName(model.protocol, memberName, ref),
    );
  }
  return record;
}
