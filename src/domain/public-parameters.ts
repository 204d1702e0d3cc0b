// SSM's public parameters for AMI discovery (/aws/service/...): each names the newest catalog image of the region
// whose name matches its pattern, as AWS, Canonical and Debian publish them (the images are Amazon's, Canonical's or
// Debian's). Only paths whose images the catalog (catalog/amazon-images.ts) seeds are listed, so every listed path
// resolves; docs/ssm.md lists them.
import { Errors } from "./errors.js";
import type { Image } from "./images.js";

export interface PublicParameterSpec {
  name: string;
  /** Matches the names of the images the parameter may point at; the newest match wins. */
  imageName: RegExp;
}

const amazonLinux = "/aws/service/ami-amazon-linux-latest";

export const publicParameterSpecs: readonly PublicParameterSpec[] = [
  { name: `${amazonLinux}/al2023-ami-kernel-default-x86_64`, imageName: /^al2023-ami-2023\.[\d.]+-kernel-[\d.]+-x86_64$/ },
  { name: `${amazonLinux}/al2023-ami-kernel-6.1-x86_64`, imageName: /^al2023-ami-2023\.[\d.]+-kernel-6\.1-x86_64$/ },
  { name: `${amazonLinux}/al2023-ami-kernel-default-arm64`, imageName: /^al2023-ami-2023\.[\d.]+-kernel-[\d.]+-arm64$/ },
  { name: `${amazonLinux}/al2023-ami-kernel-6.1-arm64`, imageName: /^al2023-ami-2023\.[\d.]+-kernel-6\.1-arm64$/ },
  { name: `${amazonLinux}/amzn2-ami-hvm-x86_64-gp2`, imageName: /^amzn2-ami-hvm-2\.0\.[\d.]+-x86_64-gp2$/ },
  { name: `${amazonLinux}/amzn-ami-hvm-x86_64-gp2`, imageName: /^amzn-ami-hvm-20\d\d\.\d\d\.[\d.]*[0-9][.-]x86_64-gp2$/ },
  { name: "/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-Base", imageName: /^Windows_Server-2019-English-Full-Base-\d{4}\.\d{2}\.\d{2}$/ },
  // Canonical's scheme: <release>/stable/current/<arch>/<virtualization>/<volume type>/ami-id; trusty's EBS images are "ebs-standard".
  {
    name: "/aws/service/canonical/ubuntu/server/14.04/stable/current/amd64/pv/ebs-standard/ami-id",
    imageName: /^ubuntu\/images\/ebs\/ubuntu-trusty-14\.04-amd64-server-[\d.]+$/,
  },
  // Ubuntu 22.04 under its number and its code name, as Canonical publishes it, for both architectures.
  ...["22.04", "jammy"].flatMap((release) =>
    (["amd64", "arm64"] as const).map((arch) => ({
      name: `/aws/service/canonical/ubuntu/server/${release}/stable/current/${arch}/hvm/ebs-gp2/ami-id`,
      imageName: new RegExp(`^ubuntu/images/hvm-ssd/ubuntu-jammy-22\\.04-${arch}-server-\\d{8}(\\.\\d+)?$`),
    })),
  ),
  // Debian publishes each release under its number and its code name.
  ...["12", "bookworm"].flatMap((release) =>
    (["amd64", "arm64"] as const).map((arch) => ({
      name: `/aws/service/debian/release/${release}/latest/${arch}`,
      imageName: new RegExp(`^debian-12-${arch}-\\d{8}-\\d+$`),
    })),
  ),
  { name: "/aws/service/debian/release/8/latest/amd64", imageName: /^debian-jessie-amd64-hvm-[\d-]+-ebs$/ },
  { name: "/aws/service/debian/release/jessie/latest/amd64", imageName: /^debian-jessie-amd64-hvm-[\d-]+-ebs$/ },
  {
    name: "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-amazon-linux-2/latest/ami-id",
    imageName: /^Deep Learning Base OSS Nvidia Driver GPU AMI \(Amazon Linux 2\) Version [\d.]+$/,
  },
];

/** A parameter as SSM answers it: a String holding an image id, of DataType aws:ec2:image. */
export interface PublicParameter {
  name: string;
  value: string;
  version: number;
  lastModifiedDate: Date;
  arn: string;
}

const maxByPathResults = 10;

/** The parameters of one region, each pointing at the newest of `amazonImages` that its pattern matches. */
export function resolvePublicParameters(region: string, amazonImages: readonly Image[]): PublicParameter[] {
  const newestFirst = [...amazonImages].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name));
  const parameters: PublicParameter[] = [];
  for (const spec of publicParameterSpecs) {
    const image = newestFirst.find((candidate) => candidate.imageType === "machine" && spec.imageName.test(candidate.name));
    if (!image) continue;
    // One version per parameter: the catalog never republishes an image in place.
    parameters.push({
      name: spec.name,
      value: image.imageId,
      version: 1,
      lastModifiedDate: image.createdAt,
      arn: `arn:aws:ssm:${region}::parameter${spec.name}`,
    });
  }
  return parameters;
}

/** A name as GetParameter takes it: the name itself, or its ARN in this region. Selectors (:version, :label) are SSM's too. */
export function parameterNameOf(nameOrArn: string, region: string): { name: string; version?: number } {
  const arnPrefix = `arn:aws:ssm:${region}::parameter`;
  let name = nameOrArn.startsWith(arnPrefix) ? nameOrArn.slice(arnPrefix.length) : nameOrArn;
  const selector = /:([^/:]*)$/.exec(name);
  if (!selector) return { name };
  name = name.slice(0, selector.index);
  const version = Number(selector[1]);
  // A label selector names no version: a public parameter has no labels, so nothing is found under one.
  return { name, version: Number.isInteger(version) && version > 0 ? version : -1 };
}

/** EC2's prefix for an image id that names an SSM parameter (RunInstances' ImageId, a launch template's ImageId). */
const imageAliasPrefix = "resolve:ssm:";

/** The parameter (name or ARN, with an optional :version) an image id of the form resolve:ssm:<parameter> names; undefined for any other id. */
export function imageAliasParameter(imageId: string): string | undefined {
  return imageId.startsWith(imageAliasPrefix) ? imageId.slice(imageAliasPrefix.length) : undefined;
}

/** GetParametersByPath: the path's direct children, or every descendant when recursive, in name order. */
export function parametersUnderPath(parameters: readonly PublicParameter[], path: string, recursive: boolean): PublicParameter[] {
  if (!path.startsWith("/")) throw Errors.ssmValidation(`The path '${path}' must start with a forward slash (/).`);
  const prefix = path.endsWith("/") ? path : `${path}/`;
  return parameters
    .filter((parameter) => parameter.name.startsWith(prefix) && (recursive || !parameter.name.slice(prefix.length).includes("/")))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One page of GetParametersByPath; the token is the offset of the next page, opaque to clients. */
export function pageOf<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  const size = maxResults ?? maxByPathResults;
  const decoded = nextToken === undefined ? "offset:0" : Buffer.from(nextToken, "base64url").toString("utf8");
  const start = decoded.startsWith("offset:") ? Number(decoded.slice("offset:".length)) : Number.NaN;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw Errors.ssmInvalidNextToken();
  const end = start + size;
  return { page: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`offset:${end}`).toString("base64url") } : {}) };
}
