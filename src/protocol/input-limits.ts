// EC2's limits on a request that its service model does not state (domain/request-limits.ts) and the bounds on
// filters (domain/filters.ts), applied to every parsed input of every service in one walk, before DryRun and the
// handler: so no handler, service or query ever sees an unbounded list, an out-of-range MaxResults, an unknown
// value of a closed string member, or an over-long filter value.
import { Errors } from "../domain/errors.js";
import { checkFilterValues, type Filter } from "../domain/filters.js";
import { closedValues, defaultListBound, type ListBound, listBounds, maxResultsRanges } from "../domain/request-limits.js";
import type { QueryService } from "./operation.js";
import { type MemberRef, type ServiceModel, type Shape, shapeOf } from "./service-model.js";

type Input = Record<string, unknown>;

/** Checks `input` against the limits, and answers it with MaxResults clamped where EC2 clamps. */
export function applyInputLimits(model: ServiceModel, operation: string, input: Input): Input {
  const shapeName = model.operations[operation]?.input?.shape;
  if (!shapeName) return input;
  checkStructure(model, shapeOf(model, { shape: shapeName }), input, listBounds[operation] ?? {});
  for (const [member, valid] of Object.entries(closedValues[operation] ?? {})) {
    const value = input[member];
    if (typeof value === "string" && !valid.includes(value)) throw Errors.invalidEnumValue(paramName(member), value, valid);
  }
  return withMaxResultsInRange(operation, input);
}

function withMaxResultsInRange(operation: string, input: Input): Input {
  const range = Object.hasOwn(maxResultsRanges, operation) ? maxResultsRanges[operation] : undefined;
  const value = input.MaxResults;
  if (!range || typeof value !== "number") return input;
  if (value < range.min) throw Errors.valueTooSmall("maxResults", value, range.min);
  if (value <= range.max) return input;
  if (range.aboveMax === "refuse") throw Errors.valueTooLarge("maxResults", value, range.max);
  return { ...input, MaxResults: range.max };
}

/** Every list bounded, at any depth; every filter list checked before anything matches or queries with it. */
function checkStructure(model: ServiceModel, shape: Shape, node: Input, topLevelBounds: Readonly<Record<string, ListBound>>): void {
  for (const [member, value] of Object.entries(node)) {
    const ref = shape.members?.[member];
    if (!ref || value === null || typeof value !== "object") continue;
    const child = shapeOf(model, ref);
    if (child.type === "structure") {
      checkStructure(model, child, value as Input, {});
      continue;
    }
    if (child.type !== "list" || !Array.isArray(value)) continue;
    // A filter list's own limits (values per call, value length) come first: EC2 words them as FilterLimitExceeded.
    if (child.member?.shape === "Filter") checkFilterValues(value as Filter[]);
    const bound = topLevelBounds[member] ?? { max: defaultListBound };
    if (value.length > bound.max) {
      if (bound.error === "instanceIdsOverLimit") throw Errors.instanceIdsOverLimit(value.length, bound.max);
      throw Errors.tooManyListItems(`${wireName({ ...ref, name: member })}.N`, value.length, bound.max);
    }
    const itemShape = shapeOf(model, child.member!);
    if (itemShape.type === "structure") for (const item of value) checkStructure(model, itemShape, item as Input, {});
  }
}

/** The name a client sends (botocore's EC2 serializer): InstanceId for InstanceIds. */
function wireName(ref: MemberRef & { name?: string }): string {
  return ref.queryName ?? (ref.locationName ? ref.locationName[0]!.toUpperCase() + ref.locationName.slice(1) : ref.name!);
}

/** A member as EC2 names it in messages: maxResults, virtualizationType. */
function paramName(member: string): string {
  return member[0]!.toLowerCase() + member.slice(1);
}

/**
 * Start-up check, beside operation-coverage.ts: every implemented operation with a MaxResults member has a range,
 * from its model shape or from maxResultsRanges; a new Describe* handler cannot forget it.
 */
export function checkMaxResultsCoverage(services: readonly QueryService[]): void {
  const missing: string[] = [];
  for (const { model, operations } of services) {
    for (const name of Object.keys(operations)) {
      const shapeName = model.operations[name]?.input?.shape;
      const ref = shapeName ? shapeOf(model, { shape: shapeName }).members?.MaxResults : undefined;
      if (!ref) continue;
      const shape = shapeOf(model, ref);
      if (shape.min === undefined && shape.max === undefined && !Object.hasOwn(maxResultsRanges, name)) missing.push(name);
    }
  }
  if (missing.length > 0) throw new Error(`No MaxResults range for ${missing.join(", ")}: add EC2's to domain/request-limits.ts`);
}
