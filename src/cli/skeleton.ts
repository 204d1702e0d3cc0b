// --generate-cli-skeleton: the input (or output) shape with placeholder values, as botocore's
// ArgumentGenerator makes it; its output is a valid --cli-input-json once filled in.
import { type CliModel, type Shape, shapeOf } from "./model.js";

export function skeleton(model: CliModel, shape: Shape | undefined, useMemberNames: boolean): unknown {
  return shape ? generate(model, shape, [], "", useMemberNames) : {};
}

function generate(model: CliModel, shape: Shape, stack: Shape[], name: string, useMemberNames: boolean): unknown {
  // A structure that contains itself is shown once, then as {}.
  if (stack.filter((seen) => seen === shape).length > 1) return {};
  stack.push(shape);
  try {
    switch (shape.type) {
      case "structure":
        return Object.fromEntries(
          Object.entries(shape.members ?? {}).map(([member, ref]) => [member, generate(model, shapeOf(model, ref), stack, member, useMemberNames)]),
        );
      case "list":
        return [generate(model, shapeOf(model, shape.member!), stack, useMemberNames ? name.replace(/s$/, "") : "", useMemberNames)];
      case "map":
        return { KeyName: generate(model, shapeOf(model, shape.value!), stack, "", useMemberNames) };
      case "string":
        return useMemberNames ? name : (shape.enum?.[0] ?? "");
      case "integer":
      case "long":
        return 0;
      case "float":
      case "double":
        return 0.0;
      case "boolean":
        return true;
      case "timestamp":
        return "1970-01-01T00:00:00";
      default:
        return "";
    }
  } finally {
    stack.pop();
  }
}
