// The arithmetic of AWS Signature Version 4 (canonical request, string to sign, signing key, signature) on
// node:crypto. The verifier (sigv4.ts) recomputes the signature a client must have sent; the bench's lean client
// signs with it. Canonical forms follow the SigV4 specification as the AWS SDKs and botocore implement it for
// services other than S3: the path normalised and encoded twice, query keys sorted, header values trimmed.
import { createHash, createHmac } from "node:crypto";

export const algorithm = "AWS4-HMAC-SHA256";

export interface SignableRequest {
  method: string;
  /** The path as it was sent (still percent-encoded). */
  path: string;
  /** Decoded query parameters (X-Amz-Signature, if there, is left out of the canonical query). */
  query: Record<string, string | string[]>;
  /** The signed headers: lower-case names and their values. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body, or the x-amz-content-sha256 the client signed. */
  payloadHash: string;
}

export interface CredentialScope {
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
}

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

export const scopeString = (scope: CredentialScope) => `${scope.date}/${scope.region}/${scope.service}/aws4_request`;

/** The hex signature of `request`, signed at `amzDate` (YYYYMMDD'T'HHMMSS'Z') with `secret` for `scope`. */
export function signatureOf(request: SignableRequest, amzDate: string, scope: CredentialScope, secret: string): string {
  const stringToSign = `${algorithm}\n${amzDate}\n${scopeString(scope)}\n${sha256Hex(canonicalRequest(request))}`;
  return createHmac("sha256", signingKey(secret, scope)).update(stringToSign).digest("hex");
}

export function canonicalRequest(request: SignableRequest): string {
  const names = Object.keys(request.headers).sort();
  const headers = names.map((name) => `${name}:${request.headers[name]!.trim().replace(/\s+/g, " ")}\n`).join("");
  return `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery(request.query)}\n${headers}\n${names.join(";")}\n${request.payloadHash}`;
}

/** RFC 3986 encoding, as SigV4 (and the SDKs' Query bodies) want it: encodeURIComponent leaves !'()* alone. */
export const uriEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalised = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return uriEncode(normalised).replace(/%2F/g, "/");
}

/** Sorted by encoded key; a repeated key's pairs sorted among themselves. */
function canonicalQuery(query: Record<string, string | string[]>): string {
  const pairs = new Map<string, string>();
  for (const key of Object.keys(query)) {
    if (key.toLowerCase() === "x-amz-signature") continue;
    const value = query[key]!;
    const encodedKey = uriEncode(key);
    const values = Array.isArray(value) ? value : [value];
    pairs.set(
      encodedKey,
      values
        .map((item) => `${encodedKey}=${uriEncode(item)}`)
        .sort()
        .join("&"),
    );
  }
  return [...pairs.keys()]
    .sort()
    .map((key) => pairs.get(key))
    .filter(Boolean)
    .join("&");
}

const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), kept per day and scope. */
function signingKey(secret: string, scope: CredentialScope): Buffer {
  const cacheKey = `${secret}\n${scopeString(scope)}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const hmac = (k: string | Buffer, data: string) => createHmac("sha256", k).update(data).digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), "aws4_request");
    if (signingKeys.size >= 256) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}
