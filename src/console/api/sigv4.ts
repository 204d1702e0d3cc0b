// AWS Signature Version 4 over WebCrypto, for the console's form-encoded POSTs to "/": the same signature every
// other client sends (the server checks it in src/protocol/sigv4.ts), computed in the browser with the keys the
// user signed in with. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigningInput {
  method: "POST";
  host: string;
  path: string;
  body: string;
  contentType: string;
  region: string;
  service: string;
  credentials: Credentials;
  date?: Date;
}

const encoder = new TextEncoder();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function sha256Hex(text: string): Promise<string> {
  return hex(await subtle().digest("SHA-256", encoder.encode(text)));
}

async function hmac(key: ArrayBuffer | Uint8Array, text: string): Promise<ArrayBuffer> {
  const imported = await subtle().importKey("raw", key as BufferSource, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return subtle().sign("HMAC", imported, encoder.encode(text));
}

/** WebCrypto exists only in a secure context: https, or http on 127.0.0.1 or localhost. */
function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle) {
    throw new Error(
      "This page cannot sign requests: open the console at http://127.0.0.1:<port>/console/ or http://localhost:<port>/console/ (WebCrypto needs a secure context).",
    );
  }
  return globalThis.crypto.subtle;
}

/** 20260102T030405Z and 20260102, as SigV4 writes the time. */
export function amzDate(date: Date): { stamp: string; day: string } {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return { stamp, day: stamp.slice(0, 8) };
}

/** The headers to send: the signature and the headers it covers (the browser adds Host itself, as signed). */
export async function signedHeaders(input: SigningInput): Promise<Record<string, string>> {
  const { stamp, day } = amzDate(input.date ?? new Date());
  const payloadHash = await sha256Hex(input.body);
  const headers: Record<string, string> = {
    "content-type": input.contentType,
    host: input.host,
    "x-amz-content-sha256": payloadHash,
    "x-amz-date": stamp,
    ...(input.credentials.sessionToken ? { "x-amz-security-token": input.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonicalRequest = [input.method, input.path, "", ...names.map((name) => `${name}:${headers[name]!.trim()}`), "", names.join(";"), payloadHash].join(
    "\n",
  );
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", stamp, scope, await sha256Hex(canonicalRequest)].join("\n");
  let key: ArrayBuffer = await hmac(encoder.encode(`AWS4${input.credentials.secretAccessKey}`), day);
  for (const part of [input.region, input.service, "aws4_request"]) key = await hmac(key, part);
  const signature = hex(await hmac(key, stringToSign));
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`,
  };
}
