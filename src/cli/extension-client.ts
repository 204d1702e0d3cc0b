// mini-ec2's own operations (models/mini-ec2-2026-11-22.json), which the SDK has no Command for: a small EC2
// Query client driven by the botocore model. It writes the Query body as botocore's EC2Serializer does, signs it
// with SigV4 (service ec2) with the server's own arithmetic (protocol/sigv4-signature.ts), retries as the SDK's
// standard mode does, and reads the answer as botocore's EC2QueryParser and the SDK do: EC2's XML, typed by the
// model, or EC2's error envelope thrown as the SDK throws it. Only public APIs: node:http and fast-xml-parser.
import { type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createRequire } from "node:module";
import type * as XmlParser from "fast-xml-parser";
import { algorithm, uriEncode, scopeString, sha256Hex, signatureOf } from "../protocol/sigv4-signature.js";
import type { CliModel, MemberRef, Shape } from "./model.js";

// Loaded on first use, in its CommonJS build, like the SDK: help and usage errors never load it.
const require = createRequire(import.meta.url);

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ExtensionClientOptions {
  endpoint: string;
  region: string;
  /** Undefined for --no-sign-request. */
  credentials?: () => Promise<Credentials>;
  maxAttempts: number;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** Sends one operation of the extension model and resolves to its output (the SDK's shape, without $metadata). */
export type ExtensionSend = (operation: string, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

export function extensionClient(model: CliModel, options: ExtensionClientOptions): ExtensionSend {
  return async (operation, input) => {
    const params = { Action: operation, Version: model.apiVersion, ...queryParams(model, operation, input) };
    const body = Object.entries(params)
      .map(([key, value]) => `${uriEncode(key)}=${uriEncode(value)}`)
      .join("&");
    const response = await withRetries(options.maxAttempts, async () => {
      const answer = await post(options, await signedHeaders(options, body), body);
      if (answer.status >= 300) throw serviceError(answer);
      return answer;
    });
    const outputShape = model.operations[operation]!.output?.shape;
    if (!outputShape) return {};
    return readStructure(model, model.shapes[outputShape]!, parseXml(response.text)[`${operation}Response`] ?? {});
  };
}

// --- The request: botocore's EC2Serializer --------------------------------------------------------------------

function queryParams(model: CliModel, operation: string, input: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  const inputShape = model.operations[operation]!.input?.shape;
  if (inputShape) writeStructure(model, model.shapes[inputShape]!, input, "", params);
  return params;
}

function writeStructure(model: CliModel, shape: Shape, value: Record<string, unknown>, prefix: string, params: Record<string, string>): void {
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const memberValue = value[name];
    if (memberValue === undefined || memberValue === null) continue;
    // A member's wire name: its queryName, else its locationName capitalised, else its name.
    const wireName = ref.queryName ?? (ref.locationName ? capitalize(ref.locationName) : name);
    write(model, ref, memberValue, prefix ? `${prefix}.${wireName}` : wireName, params);
  }
}

function write(model: CliModel, ref: MemberRef, value: unknown, key: string, params: Record<string, string>): void {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "structure":
      writeStructure(model, shape, value as Record<string, unknown>, key, params);
      return;
    case "list":
      // Always flattened and 1-based; an empty list sends nothing.
      (value as unknown[]).forEach((item, i) => write(model, shape.member!, item, `${key}.${i + 1}`, params));
      return;
    case "map":
      throw new Error(`${ref.shape}: EC2's Query protocol has no maps`);
    case "timestamp":
      params[key] = (value instanceof Date ? value : new Date(value as string)).toISOString().replace(".000Z", "Z");
      return;
    case "blob":
      params[key] = typeof value === "string" ? Buffer.from(value).toString("base64") : Buffer.from(value as Uint8Array).toString("base64");
      return;
    default:
      params[key] = String(value);
  }
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

async function signedHeaders(options: ExtensionClientOptions, body: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded; charset=utf-8", host: new URL(options.endpoint).host };
  if (!options.credentials) return headers;
  const credentials = await options.credentials();
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, "");
  headers["x-amz-date"] = amzDate;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const scope = { date: amzDate.slice(0, 8), region: options.region, service: "ec2" };
  const path = new URL(options.endpoint).pathname;
  const signature = signatureOf({ method: "POST", path, query: {}, headers, payloadHash: sha256Hex(body) }, amzDate, scope, credentials.secretAccessKey);
  const signed = Object.keys(headers).sort().join(";");
  return {
    ...headers,
    authorization: `${algorithm} Credential=${credentials.accessKeyId}/${scopeString(scope)}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}

// --- The exchange ----------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  text: string;
}

/** A failure of the connection, named as the SDK's node-http-handler names it. */
function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: "TimeoutError" });
}

function post(options: ExtensionClientOptions, headers: Record<string, string>, body: string): Promise<Answer> {
  const url = new URL(options.endpoint);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    const { connectTimeoutMs, readTimeoutMs } = options;
    if (connectTimeoutMs) {
      const timer = setTimeout(
        () => outgoing.destroy(timeoutError(`Socket timed out without establishing a connection within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      outgoing.on("socket", (socket) => socket.once("connect", () => clearTimeout(timer)));
      outgoing.on("close", () => clearTimeout(timer));
    }
    if (readTimeoutMs) outgoing.setTimeout(readTimeoutMs, () => outgoing.destroy(timeoutError(`Connection timed out after ${readTimeoutMs} ms`)));
    outgoing.end(body);
  });
}

// The SDK's standard retry mode (@smithy/core/retry): throttling, 5xx and failed connections are tried again, up
// to maxAttempts, after a pause of random() * min(base * 2^retries, 20 s), base 50 ms, or 1 s when throttled.
const throttlingCodes = new Set([
  "BandwidthLimitExceeded",
  "EC2ThrottledException",
  "LimitExceededException",
  "PriorRequestNotComplete",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "SlowDown",
  "ThrottledException",
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "TransactionInProgressException",
]);
const transientNames = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException"]);
const transientCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const transientStatuses = new Set([500, 502, 503, 504]);

interface Failure {
  name?: string;
  code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

async function withRetries<T>(maxAttempts: number, attempt: () => Promise<T>): Promise<T> {
  for (let retries = 0; ; retries++) {
    try {
      return await attempt();
    } catch (error) {
      const throttled = isThrottling(error as Failure);
      if ((!throttled && !isTransient(error as Failure)) || retries + 1 >= maxAttempts) throw error;
      const pause = Math.floor(Math.random() * Math.min((throttled ? 1000 : 50) * 2 ** retries, 20_000));
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function isThrottling(failure: Failure): boolean {
  return failure.$metadata?.httpStatusCode === 429 || throttlingCodes.has(failure.name ?? "");
}

function isTransient(failure: Failure | undefined, depth = 0): boolean {
  if (!failure || typeof failure !== "object" || failure.name === "AbortError") return false;
  return (
    transientNames.has(failure.name ?? "") ||
    transientCodes.has(failure.code ?? "") ||
    transientStatuses.has(failure.$metadata?.httpStatusCode ?? 0) ||
    (depth < 10 && isTransient(failure.cause as Failure | undefined, depth + 1))
  );
}

// --- The answer: botocore's EC2QueryParser ---------------------------------------------------------------------

type Xml = Record<string, unknown> | string;

function parseXml(text: string): Record<string, Xml> {
  const { XMLParser } = require("fast-xml-parser") as typeof XmlParser;
  // The SDK's own settings: values stay text (the model types them), entities are decoded, and the whitespace
  // between elements is dropped.
  const parser = new XMLParser({
    attributeNamePrefix: "",
    htmlEntities: true,
    ignoreAttributes: false,
    ignoreDeclaration: true,
    parseTagValue: false,
    trimValues: false,
    tagValueProcessor: (_: string, value: string) => (value.trim() === "" && value.includes("\n") ? "" : undefined),
  });
  return parser.parse(text) as Record<string, Xml>;
}

/** EC2's error envelope as the SDK throws it: the code as the name, $fault, and the HTTP status in $metadata. */
function serviceError(answer: Answer): Error {
  let code = "UnknownError";
  let message = `The server answered ${answer.status}`;
  try {
    const error = (parseXml(answer.text).Response as { Errors?: { Error?: { Code?: string; Message?: string } } } | undefined)?.Errors?.Error;
    if (error?.Code) code = String(error.Code);
    if (error?.Message !== undefined) message = String(error.Message);
  } catch {
    // Not XML: the status says what happened.
  }
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: answer.status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: answer.status },
  });
}

function readStructure(model: CliModel, shape: Shape, xml: unknown): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  if (typeof xml !== "object" || xml === null) return output;
  const element = xml as Record<string, unknown>;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = element[ref.locationName ?? name];
    if (value !== undefined) output[name] = read(model, ref, value);
  }
  return output;
}

function read(model: CliModel, ref: MemberRef, xml: unknown): unknown {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "structure":
      return readStructure(model, shape, xml);
    case "list": {
      // <set><item>…</item><item>…</item></set>; one item parses as a value rather than a list, none as "".
      const items = typeof xml === "object" && xml !== null ? (xml as Record<string, unknown>)[shape.member!.locationName ?? "member"] : undefined;
      if (items === undefined) return [];
      return (Array.isArray(items) ? items : [items]).map((item) => read(model, shape.member!, item));
    }
    case "map":
      throw new Error(`${ref.shape}: EC2's Query protocol has no maps`);
    case "boolean":
      return String(xml) === "true";
    case "integer":
    case "long":
    case "float":
    case "double":
      return Number(xml);
    case "timestamp":
      return new Date(String(xml));
    case "blob":
      return new Uint8Array(Buffer.from(String(xml), "base64"));
    default:
      return typeof xml === "object" ? "" : String(xml);
  }
}
