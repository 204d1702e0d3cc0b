// Sends signed JSON-protocol requests (X-Amz-Target, as SSM's clients send them), for the cases no installed SDK
// covers: the SSM JavaScript client is not a dependency.
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { defaultCredentials } from "./signed-request.js";

export interface JsonResponse {
  status: number;
  contentType: string | null;
  json: any;
}

export async function jsonRequest(
  baseUrl: string,
  target: string,
  body: unknown,
  options: { service?: string; region?: string; sign?: boolean } = {},
): Promise<JsonResponse> {
  const url = new URL(baseUrl);
  const text = typeof body === "string" ? body : JSON.stringify(body);
  let request = new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: "/",
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body: text,
  });
  if (options.sign !== false) {
    const signer = new SignatureV4({
      service: options.service ?? "ssm",
      region: options.region ?? "us-east-1",
      credentials: defaultCredentials,
      sha256: Sha256,
    });
    request = (await signer.sign(request)) as HttpRequest;
  }
  const response = await fetch(`${url.origin}/`, {
    method: "POST",
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== "host")),
    body: text,
  });
  const responseText = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), json: responseText ? JSON.parse(responseText) : undefined };
}
