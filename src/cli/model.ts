// The CLI's view of a botocore service model: operations and shapes (with their documentation, for help), plus
// botocore's paginators and waiters for the same API version. Everything the CLI offers comes from here, so a
// command exists as soon as the model names its operation, exactly as in the AWS CLI.
import { type OperationModel, readModelFile, type MemberRef as WireMemberRef, type Shape as WireShape } from "../protocol/service-model.js";

// The same botocore format the server's codec reads, through the same reader, plus the documentation strings
// that the server drops and help prints.
export type MemberRef = WireMemberRef & { documentation?: string };
export type Shape = Omit<WireShape, "members" | "member" | "key" | "value"> & {
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  documentation?: string;
};
export type Operation = Omit<OperationModel, "output"> & { output?: { shape: string }; documentation?: string };

/** botocore's paginators-1.json entry: which input member carries the token, which output lists to merge. */
export interface Paginator {
  input_token: string;
  output_token: string;
  limit_key?: string;
  result_key: string | string[];
}

/** botocore's waiters-2.json entry. */
export interface Waiter {
  operation: string;
  delay: number;
  maxAttempts: number;
  acceptors: Array<{
    state: "success" | "failure" | "retry";
    matcher: "path" | "pathAll" | "pathAny" | "status" | "error";
    argument?: string;
    expected: unknown;
  }>;
}

export interface CliModel {
  /** The command group: `ec2` for EC2, `mini-ec2` for the extension service. */
  group: string;
  apiVersion: string;
  serviceFullName: string;
  xmlNamespace: string;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
  paginators: Record<string, Paginator>;
  waiters: Record<string, Waiter>;
}

interface RawCliModel {
  metadata: { apiVersion: string; serviceFullName?: string; xmlNamespace: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export function loadCliModel(group: string, serviceFile: string, extras: { paginators?: string; waiters?: string } = {}): CliModel {
  const raw = readModelFile(serviceFile, { documentation: true }) as RawCliModel;
  return {
    group,
    apiVersion: raw.metadata.apiVersion,
    serviceFullName: raw.metadata.serviceFullName ?? group,
    xmlNamespace: raw.metadata.xmlNamespace,
    operations: raw.operations,
    shapes: raw.shapes,
    paginators: extras.paginators ? (readModelFile(extras.paginators) as { pagination: Record<string, Paginator> }).pagination : {},
    waiters: extras.waiters ? (readModelFile(extras.waiters) as { waiters: Record<string, Waiter> }).waiters : {},
  };
}

let ec2: CliModel | undefined;

export function ec2CliModel(): CliModel {
  return (ec2 ??= loadCliModel("ec2", "ec2-2016-11-15.json.gz", {
    paginators: "ec2-2016-11-15.paginators-1.json.gz",
    waiters: "ec2-2016-11-15.waiters-2.json.gz",
  }));
}

let extension: CliModel | undefined;

/** mini-ec2's own operations (Version 2026-11-22), the `mini-ec2 mini-ec2 …` group, as `aws mini-ec2 …` names it. */
export function extensionCliModel(): CliModel {
  return (extension ??= loadCliModel("mini-ec2", "mini-ec2-2026-11-22.json"));
}

export function shapeOf(model: CliModel, ref: { shape: string }): Shape {
  const shape = model.shapes[ref.shape];
  if (!shape) throw new Error(`service model has no shape ${ref.shape}`);
  return shape;
}

// botocore's xform_name with "-": DescribeInstanceTypes -> describe-instance-types, GatewayARNs -> gateway-arns.
export function xformName(name: string): string {
  const pluralAcronym = /[A-Z]{2,}s$/.exec(name);
  if (pluralAcronym) name = `${name.slice(0, -pluralAcronym[0].length)}-${pluralAcronym[0].toLowerCase()}`;
  return name
    .replace(/(.)([A-Z][a-z]+)/g, "$1-$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase();
}

export const scalarTypes = new Set(["string", "integer", "long", "boolean", "timestamp", "blob", "double", "float"]);
