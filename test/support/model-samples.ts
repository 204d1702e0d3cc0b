// Small valid values of service-model shapes, for tests that walk an operation's members.
import { type MemberRef, type ServiceModel, shapeOf } from "../../src/protocol/service-model.js";

/** A small valid value of a model shape: required members filled, else the first one; enums' first value. */
export function sample(model: ServiceModel, ref: MemberRef): unknown {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case "structure": {
      const members = shape.members ?? {};
      const names = shape.required?.length ? shape.required : Object.keys(members).slice(0, 1);
      return Object.fromEntries(names.map((name) => [name, sample(model, members[name]!)]));
    }
    case "list":
      return [sample(model, shape.member!)];
    case "string":
      return shape.enum?.[0] ?? "x";
    case "integer":
    case "long":
      return shape.min ?? 1;
    case "boolean":
      return true;
    case "blob":
      return new Uint8Array([1]);
    case "timestamp":
      return new Date();
    default:
      return 1;
  }
}
