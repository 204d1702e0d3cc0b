// Renders an operation's output (member names as in the model and the AWS SDK) as the XML its protocol sends:
// EC2's <ActionResponse><requestId/>…</ActionResponse>, or awsQuery's <ActionResponse><ActionResult>… with
// <ResponseMetadata>. Element names, list items and value formats all come from the service model.
import { XMLBuilder } from "fast-xml-parser";
import { type MemberRef, type ServiceModel, type Shape, shapeOf } from "./service-model.js";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", suppressEmptyNode: false });

type XmlNode = Record<string, unknown>;

export function serializeOutput(model: ServiceModel, action: string, output: unknown, requestId: string): string {
  const operation = model.operations[action]!;
  const body: XmlNode = { "@xmlns": model.xmlNamespace };
  const outputShape = operation.output ? shapeOf(model, operation.output) : undefined;
  const members = outputShape ? structure(model, outputShape, (output ?? {}) as Record<string, unknown>) : {};
  if (model.protocol === "ec2") {
    Object.assign(body, { requestId }, members);
  } else {
    body[operation.output?.resultWrapper ?? `${action}Result`] = members;
    body.ResponseMetadata = { RequestId: requestId };
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [`${action}Response`]: body })}`;
}

function structure(model: ServiceModel, shape: Shape, value: Record<string, unknown>): XmlNode {
  const node: XmlNode = {};
  for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
    const memberValue = value[memberName];
    if (memberValue === undefined || memberValue === null) continue;
    node[ref.locationName ?? memberName] = render(model, ref, memberValue);
  }
  return node;
}

function render(model: ServiceModel, ref: MemberRef, value: unknown): unknown {
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case "structure":
      return structure(model, shape, value as Record<string, unknown>);
    case "list": {
      const items = (value as unknown[]).map((item) => render(model, shape.member!, item));
      // An empty list is an empty element, as EC2 sends it (<groupSet/>).
      return items.length === 0 ? "" : { [shape.member!.locationName ?? "member"]: items };
    }
    case "timestamp":
      return (value instanceof Date ? value : new Date(value as string)).toISOString();
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    case "boolean":
      return value ? "true" : "false";
    default:
      return xmlText(String(value));
  }
}

const notXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text XML 1.0 can carry: anything else is replaced, so one bad value never makes a whole response unparsable. */
export function xmlText(text: string): string {
  return text.replace(notXmlChars, "\uFFFD");
}
