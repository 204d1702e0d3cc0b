// Loads a botocore service model of the JSON protocol (awsJson1_1: SSM): operations are named by the
// X-Amz-Target header, `<targetPrefix>.<Operation>`, and input and output are JSON documents of the model's shapes.
import { readModelFile, type OperationModel, type Shape } from "./service-model.js";

export interface JsonServiceModel {
  protocol: "json";
  apiVersion: string;
  /** The X-Amz-Target prefix, e.g. AmazonSSM. */
  targetPrefix: string;
  /** The Content-Type version: 1.1 means application/x-amz-json-1.1. */
  jsonVersion: string;
  signingName: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

interface RawJsonModel {
  metadata: { protocol: string; apiVersion: string; targetPrefix: string; jsonVersion: string; endpointPrefix: string; signingName?: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export function loadJsonServiceModel(fileName: string): JsonServiceModel {
  const raw = readModelFile(fileName) as RawJsonModel;
  const { metadata } = raw;
  if (metadata.protocol !== "json") throw new Error(`${fileName}: protocol ${metadata.protocol} is not the JSON protocol`);
  return {
    protocol: "json",
    apiVersion: metadata.apiVersion,
    targetPrefix: metadata.targetPrefix,
    jsonVersion: metadata.jsonVersion,
    signingName: metadata.signingName ?? metadata.endpointPrefix,
    operations: raw.operations,
    shapes: raw.shapes,
  };
}

let ssmModel: JsonServiceModel | undefined;

export function ssmServiceModel(): JsonServiceModel {
  return (ssmModel ??= loadJsonServiceModel("ssm-2014-11-06.json.gz"));
}
