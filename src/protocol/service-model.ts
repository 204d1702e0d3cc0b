// Loads an AWS service model (botocore's service-2.json, see models/README.md): the one declarative description
// of every operation's input and output that the parser and the serializer walk.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export type Protocol = "ec2" | "query";

export interface MemberRef {
  shape: string;
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
}

export interface Shape {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp" | "blob" | "double" | "float";
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  flattened?: boolean;
  locationName?: string;
}

export interface OperationModel {
  name: string;
  input?: { shape: string };
  output?: { shape: string; resultWrapper?: string };
}

export interface ServiceModel {
  protocol: Protocol;
  apiVersion: string;
  xmlNamespace: string;
  signingName: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

interface RawModel {
  metadata: { protocol: string; apiVersion: string; xmlNamespace?: string; endpointPrefix: string; signingName?: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const modelsDir = new URL("../../models/", import.meta.url);

/**
 * One of botocore's JSON files in models/ (a service model, its paginators or its waiters), gunzipped if it ends
 * in .gz. The one reader of models/: the server's codec and the CLI both load through it. The documentation
 * strings are most of a service model; only the CLI's help prints them, so they are dropped unless asked for.
 */
export function readModelFile(fileName: string, options: { documentation?: boolean } = {}): unknown {
  const bytes = readFileSync(new URL(fileName, modelsDir));
  const text = (fileName.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  return options.documentation ? JSON.parse(text) : withoutDocumentation(JSON.parse(text));
}

export function loadServiceModel(fileName: string): ServiceModel {
  const raw = readModelFile(fileName) as RawModel;
  const { metadata } = raw;
  if (metadata.protocol !== "ec2" && metadata.protocol !== "query") {
    throw new Error(`${fileName}: protocol ${metadata.protocol} is not a Query protocol`);
  }
  return {
    protocol: metadata.protocol,
    apiVersion: metadata.apiVersion,
    // EC2 answers with a trailing slash on its namespace; botocore's metadata omits it.
    xmlNamespace: (metadata.xmlNamespace ?? `https://${metadata.endpointPrefix}.amazonaws.com/doc/${metadata.apiVersion}`).replace(/\/?$/, "/"),
    signingName: metadata.signingName ?? metadata.endpointPrefix,
    operations: raw.operations,
    shapes: raw.shapes,
  };
}

/**
 * The documentation strings are most of the file and nothing in the server reads them: they are let go after the
 * parse. A walk costs half of what a JSON.parse reviver does on the EC2 model (the server parses it at every start),
 * and assigning undefined rather than deleting keeps the objects' shapes fast to read.
 */
function withoutDocumentation<T>(node: T): T {
  if (Array.isArray(node)) {
    for (const item of node) if (item && typeof item === "object") withoutDocumentation(item);
    return node;
  }
  const record = node as Record<string, unknown>;
  if (record.documentation !== undefined) record.documentation = undefined;
  if (record.examples !== undefined) record.examples = undefined;
  for (const key in record) {
    const value = record[key];
    if (value && typeof value === "object") withoutDocumentation(value);
  }
  return node;
}

export function shapeOf(model: ServiceModel, ref: { shape: string }): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`service model has no shape ${ref.shape}`);
  return shape;
}

let ec2Model: ServiceModel | undefined;
let stsModel: ServiceModel | undefined;
let extensionModel: ServiceModel | undefined;

export function ec2ServiceModel(): ServiceModel {
  return (ec2Model ??= loadServiceModel("ec2-2016-11-15.json.gz"));
}

export function stsServiceModel(): ServiceModel {
  return (stsModel ??= loadServiceModel("sts-2011-06-15.json.gz"));
}

/** mini-ec2's own operations (docs/extensions.md), in botocore's format so that boto3 and the AWS CLI can load it too. */
export function extensionServiceModel(): ServiceModel {
  return (extensionModel ??= loadServiceModel("mini-ec2-2026-11-22.json"));
}
