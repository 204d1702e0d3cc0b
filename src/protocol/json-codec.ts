// The JSON protocol's codec, driven by the service model as the Query parser and the XML serializer are: input is
// checked against the input shape (unknown members and wrong types: SerializationException; missing required
// members, lengths, ranges and enums: ValidationException, worded as AWS words it), and output is written from
// the output shape (timestamps as epoch seconds, blobs in base64, members the model lacks left out).
import { Errors } from "../domain/errors.js";
import type { JsonServiceModel } from "./json-service-model.js";
import type { Shape } from "./service-model.js";

function shapeNamed(model: JsonServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`service model has no shape ${name}`);
  return shape;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Checks a request's parsed JSON body against its input shape and answers it, typed by the model. */
export function parseJsonInput(model: JsonServiceModel, shapeName: string | undefined, body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw Errors.jsonSerialization("The request body must be a JSON object.");
  if (!shapeName) return {};
  const violations: string[] = [];
  checkValue(model, shapeName, body, "", violations);
  if (violations.length > 0) {
    const count = violations.length;
    throw Errors.ssmValidation(`${count} validation error${count === 1 ? "" : "s"} detected: ${violations.join("; ")}`);
  }
  return body;
}

/** AWS names a member in a validation message by its path with a lower-case first letter: 'names', 'parameterFilters.1.key'. */
const memberPath = (parent: string, member: string) => (parent ? `${parent}.` : "") + member.charAt(0).toLowerCase() + member.slice(1);

function checkValue(model: JsonServiceModel, shapeName: string, value: unknown, path: string, violations: string[]): void {
  const shape = shapeNamed(model, shapeName);
  const where = path || "the request";
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw Errors.jsonSerialization(`Expected ${what} at '${where}', got ${JSON.stringify(value)}.`);
  };
  switch (shape.type) {
    case "structure": {
      expect(isPlainObject(value), "an object");
      const object = value as Record<string, unknown>;
      const members = shape.members ?? {};
      for (const name of Object.keys(object)) {
        if (!Object.hasOwn(members, name)) throw Errors.jsonSerialization(`Unknown member '${name}' at '${where}': ${shapeName} has no such member.`);
      }
      for (const name of shape.required ?? []) {
        if (object[name] === undefined || object[name] === null)
          violations.push(`Value null at '${memberPath(path, name)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, ref] of Object.entries(members)) {
        if (object[name] !== undefined && object[name] !== null) checkValue(model, ref.shape, object[name], memberPath(path, name), violations);
      }
      return;
    }
    case "list": {
      expect(Array.isArray(value), "a list");
      const items = value as unknown[];
      checkLength(shape, items.length, JSON.stringify(items), path, violations);
      items.forEach((item, index) => {
        checkValue(model, shape.member!.shape, item, `${path}.${index + 1}.member`, violations);
      });
      return;
    }
    case "map": {
      expect(isPlainObject(value), "a map");
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        checkValue(model, shape.key!.shape, key, `${path}.${key}`, violations);
        checkValue(model, shape.value!.shape, item, `${path}.${key}`, violations);
      }
      return;
    }
    case "string":
      expect(typeof value === "string", "a string");
      checkLength(shape, (value as string).length, value as string, path, violations);
      if (shape.enum && !shape.enum.includes(value as string)) {
        violations.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
      }
      return;
    case "integer":
    case "long":
      expect(typeof value === "number" && Number.isInteger(value), "an integer");
      if (shape.min !== undefined && (value as number) < shape.min) {
        violations.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`);
      }
      if (shape.max !== undefined && (value as number) > shape.max) {
        violations.push(`Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`);
      }
      return;
    case "double":
    case "float":
      expect(typeof value === "number", "a number");
      return;
    case "boolean":
      expect(typeof value === "boolean", "true or false");
      return;
    case "timestamp":
      expect(typeof value === "number" || (typeof value === "string" && !Number.isNaN(Date.parse(value))), "a timestamp");
      return;
    case "blob":
      expect(typeof value === "string", "a base64 string");
      return;
  }
}

function checkLength(shape: Shape, length: number, shown: string, path: string, violations: string[]): void {
  if (shape.min !== undefined && length < shape.min) {
    violations.push(`Value '${shown}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && length > shape.max) {
    violations.push(`Value '${shown}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`);
  }
}

/** An operation's output as the JSON document its output shape describes. */
export function serializeJsonOutput(model: JsonServiceModel, shapeName: string | undefined, output: unknown): string {
  return JSON.stringify(shapeName ? (toJson(model, shapeName, output) ?? {}) : {});
}

function toJson(model: JsonServiceModel, shapeName: string, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const shape = shapeNamed(model, shapeName);
  switch (shape.type) {
    case "structure": {
      const object: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = toJson(model, ref.shape, (value as Record<string, unknown>)[name]);
        if (member !== undefined) object[name] = member;
      }
      return object;
    }
    case "list":
      return (value as unknown[]).map((item) => toJson(model, shape.member!.shape, item));
    case "map":
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, toJson(model, shape.value!.shape, item)]));
    case "timestamp":
      // The JSON protocol's default timestamp format: seconds since the epoch, with milliseconds as a fraction.
      return (value instanceof Date ? value : new Date(value as string)).getTime() / 1000;
    case "blob":
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    default:
      return value;
  }
}
