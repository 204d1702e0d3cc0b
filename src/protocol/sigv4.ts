// Verifies AWS Signature Version 4, in the Authorization header or in a presigned query string, by signing the
// same canonical request again (sigv4-signature.ts) and comparing. It answers who signed (access key,
// region and service from the credential scope); looking the key up is the caller's, through `secretFor`.
import { timingSafeEqual } from "node:crypto";
import type { SigningIdentity } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { algorithm, type CredentialScope, type SignableRequest, sha256Hex, signatureOf } from "./sigv4-signature.js";

export interface IncomingSignedRequest {
  method: string;
  host: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Finds the secret of an access key; throws the EC2 error when the key or token is not valid. */
export type SecretLookup = (identity: SigningIdentity) => Promise<string>;

export interface VerifyOptions {
  now: Date;
  expectedService: string;
  isKnownRegion: (region: string) => boolean;
  secretFor: SecretLookup;
}

const maxSkewMs = 15 * 60 * 1000;
const maxPresignSeconds = 7 * 24 * 60 * 60;

export async function verifySignature(request: IncomingSignedRequest, options: VerifyOptions): Promise<SigningIdentity> {
  const authorization = header(request, "authorization");
  if (authorization !== undefined) return verifyHeaderSignature(request, authorization, options);
  if (request.query["X-Amz-Algorithm"] !== undefined) return verifyPresignedUrl(request, options);
  if (request.query.AWSAccessKeyId !== undefined || request.query.SignatureVersion !== undefined) {
    throw Errors.authFailure("mini-ec2 accepts AWS Signature Version 4 only; this request is signed with an older version.");
  }
  throw Errors.missingAuthenticationToken();
}

async function verifyHeaderSignature(request: IncomingSignedRequest, authorization: string, options: VerifyOptions): Promise<SigningIdentity> {
  const [scheme, ...rest] = authorization.trim().split(/\s+/);
  if (scheme !== algorithm) {
    throw Errors.incompleteSignature(`Unsupported Authorization scheme '${scheme}'. Sign requests with ${algorithm} (Signature Version 4).`);
  }
  const fields = new Map(
    rest
      .join("")
      .split(",")
      .map((part) => {
        const eq = part.indexOf("=");
        return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
      }),
  );
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((name) => !fields.get(name));
  if (missing.length > 0) {
    throw Errors.incompleteSignature(missing.map((name) => `Authorization header requires '${name}' parameter.`).join(" "));
  }
  const amzDate = header(request, "x-amz-date");
  if (!amzDate) throw Errors.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signingDate = parseAmzDate(amzDate);
  const identity = parseScope(fields.get("Credential")!, amzDate, options, header(request, "x-amz-security-token"));
  checkClock(signingDate, options.now);
  checkContentHash(request);
  const signedHeaders = signedHeaderList(fields.get("SignedHeaders")!);

  const secretAccessKey = await options.secretFor(identity);
  const expected = signatureOf(signable(request, signedHeaders, request.query), amzDate, scopeOf(identity, amzDate), secretAccessKey);
  if (!sameSignature(expected, fields.get("Signature")!)) throw Errors.signatureDoesNotMatch();
  return identity;
}

async function verifyPresignedUrl(request: IncomingSignedRequest, options: VerifyOptions): Promise<SigningIdentity> {
  const param = (name: string) => {
    const value = request.query[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (param("X-Amz-Algorithm") !== algorithm) throw Errors.incompleteSignature(`X-Amz-Algorithm must be ${algorithm}.`);
  const missing = ["X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"].filter((name) => !param(name));
  if (missing.length > 0) throw Errors.incompleteSignature(`A presigned URL requires the query parameters ${missing.join(", ")}.`);
  const amzDate = param("X-Amz-Date")!;
  const signingDate = parseAmzDate(amzDate);
  const expiresIn = Number(param("X-Amz-Expires") ?? "3600");
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > maxPresignSeconds) {
    throw Errors.incompleteSignature(`X-Amz-Expires must be a whole number of seconds from 1 to ${maxPresignSeconds}.`);
  }
  const identity = parseScope(param("X-Amz-Credential")!, amzDate, options, param("X-Amz-Security-Token"));
  checkClock(signingDate, options.now, expiresIn * 1000);
  const signedHeaders = signedHeaderList(param("X-Amz-SignedHeaders")!);

  const secretAccessKey = await options.secretFor(identity);
  // The canonical query is every parameter the URL carries, X-Amz-Credential and the rest included, but the signature.
  const expected = signatureOf(signable(request, signedHeaders, request.query), amzDate, scopeOf(identity, amzDate), secretAccessKey);
  if (!sameSignature(expected, param("X-Amz-Signature")!)) throw Errors.signatureDoesNotMatch();
  return identity;
}

function parseScope(credential: string, amzDate: string, options: VerifyOptions, sessionToken: string | undefined): SigningIdentity {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !parts[0]) {
    throw Errors.incompleteSignature(`Credential must have the form <access key>/<YYYYMMDD>/<region>/<service>/aws4_request, got '${credential}'.`);
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string];
  if (scopeDate !== amzDate.slice(0, 8)) {
    throw Errors.signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  let problem = "";
  if (!options.isKnownRegion(region)) problem += `Credential should be scoped to a valid region, not '${region}'. `;
  if (service !== options.expectedService) problem += `Credential should be scoped to correct service: '${options.expectedService}'. `;
  if (problem) throw Errors.signatureDoesNotMatch(problem.trim());
  return sessionToken ? { accessKeyId, region, service, sessionToken } : { accessKeyId, region, service };
}

function parseAmzDate(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  const date = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw Errors.incompleteSignature(`X-Amz-Date must be in the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z', got '${value}'.`);
  }
  return date;
}

/** A header signature is good for 15 minutes either side; a presigned URL until exactly X-Amz-Expires. */
function checkClock(signedAt: Date, now: Date, presignedForMs?: number): void {
  const early = signedAt.getTime() - now.getTime() > maxSkewMs;
  const late = now.getTime() - signedAt.getTime() > (presignedForMs ?? maxSkewMs);
  if (early || late) {
    throw Errors.requestExpired(
      `Request has expired. It was signed at ${signedAt.toISOString()}, and the server's time is ${now.toISOString()}; ` +
        (presignedForMs === undefined
          ? "requests must arrive within 15 minutes of signing. Check the signing machine's clock."
          : `this presigned URL was valid for ${presignedForMs / 1000} seconds.`),
    );
  }
}

/** A signed x-amz-content-sha256 must be the body's real hash, or the signature covers a body never sent. */
function checkContentHash(request: IncomingSignedRequest): void {
  const declared = header(request, "x-amz-content-sha256");
  if (declared === undefined) return;
  if (declared !== sha256Hex(request.body)) {
    throw Errors.signatureDoesNotMatch("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
}

function signedHeaderList(value: string): string[] {
  const names = value.toLowerCase().split(";");
  if (!names.includes("host")) throw Errors.incompleteSignature("'Host' must be a signed header.");
  return names;
}

/**
 * What the client signed: its signed headers (host as it arrived), and the body's hash unless it signed one.
 * Every header the signature claims to cover must be there: AWS refuses a SignedHeaders entry for a header the
 * request does not carry, rather than sign without it (the signature would then vouch for a header never sent).
 */
function signable(request: IncomingSignedRequest, signedHeaders: string[], query: Record<string, string | string[]>): SignableRequest {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = name === "host" ? request.host : header(request, name);
    if (value === undefined) {
      throw Errors.signatureDoesNotMatch(
        `The request signature we calculated does not match the signature you provided. SignedHeaders names '${name}', a header this request does not carry.`,
      );
    }
    headers[name] = value;
  }
  return { method: request.method, path: request.path, query, headers, payloadHash: headers["x-amz-content-sha256"] ?? sha256Hex(request.body) };
}

const scopeOf = (identity: SigningIdentity, amzDate: string): CredentialScope => ({
  date: amzDate.slice(0, 8),
  region: identity.region,
  service: identity.service,
});

function header(request: IncomingSignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}
