// Sends hand-made Query requests, signed or not, for the wire cases no SDK would produce.
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { XMLParser } from "fast-xml-parser";

/** The default account's key, which every test server accepts (server.ts re-exports it). */
export const defaultCredentials = { accessKeyId: "test", secretAccessKey: "test" };

export interface RawRequest {
  params?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string | Buffer;
  contentType?: string;
  path?: string;
  sign?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Extra headers, signed with the rest. */
  headers?: Record<string, string>;
  /** Changes the signed request's headers before it is sent: for requests that claim more than they carry. */
  afterSigning?: (headers: Record<string, string>) => void;
}

export interface RawResponse {
  status: number;
  text: string;
  xml: any;
  /** The EC2 error code, if the body is an error envelope. */
  code?: string;
  message?: string;
}

const parser = new XMLParser();

export async function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const method = request.method ?? "POST";
  const form = new URLSearchParams(request.params ?? {}).toString().replace(/\+/g, "%20");
  const body = request.body ?? (method === "POST" ? form : undefined);
  const query = method === "GET" ? Object.fromEntries(new URLSearchParams(request.params ?? {})) : {};
  const headers: Record<string, string> = { host: url.host };
  if (body !== undefined) headers["content-type"] = request.contentType ?? "application/x-www-form-urlencoded; charset=utf-8";
  Object.assign(headers, request.headers);
  let httpRequest = new HttpRequest({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path ?? "/",
    query,
    headers,
    body,
  });
  if (request.sign !== false) {
    const signer = new SignatureV4({
      service: request.service ?? "ec2",
      region: request.region ?? "us-east-1",
      credentials: request.credentials ?? defaultCredentials,
      sha256: Sha256,
    });
    httpRequest = (await signer.sign(httpRequest, { signingDate: request.signingDate ?? new Date() })) as HttpRequest;
  }
  request.afterSigning?.(httpRequest.headers);
  const search = new URLSearchParams(httpRequest.query as Record<string, string>).toString().replace(/\+/g, "%20");
  const response = await fetch(`${url.origin}${httpRequest.path}${search ? `?${search}` : ""}`, {
    method,
    headers: Object.fromEntries(Object.entries(httpRequest.headers).filter(([name]) => name !== "host")),
    body: method === "POST" ? body : undefined,
  });
  const text = await response.text();
  const xml = text ? parser.parse(text) : undefined;
  const error = xml?.Response?.Errors?.Error ?? xml?.ErrorResponse?.Error;
  return { status: response.status, text, xml, code: error?.Code, message: error?.Message };
}

/** A valid EC2 call's parameters plus extras. */
export function ec2Params(action: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Action: action, Version: "2016-11-15", ...extra };
}
