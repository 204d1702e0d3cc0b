// Key pair material as EC2 makes and reads it: new RSA (PKCS#1 PEM) and ED25519 (OpenSSH) private keys,
// imported OpenSSH or RFC 4716 public keys, and EC2's fingerprints (SHA-1 of the private key's PKCS#8 DER for
// keys it created, MD5 of the public key's DER for imported RSA keys, SHA-256 of the public key for ED25519).
import { constants, createHash, createPublicKey, generateKeyPair, generateKeyPairSync, type KeyObject, publicEncrypt, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { Errors } from "../domain/errors.js";

export type KeyType = "rsa" | "ed25519";

export interface NewKeyMaterial {
  privateKeyPem: string;
  publicKeyOpenSsh: string;
  fingerprint: string;
}

export interface ImportedKey {
  keyType: KeyType;
  publicKeyOpenSsh: string;
  fingerprint: string;
}

const generateRsa = promisify(generateKeyPair);
const newRsaKeyPair = () => generateRsa("rsa", { modulusLength: 2048 });

/**
 * One RSA key pair made ahead: a prime search takes from tens of milliseconds to over a second on a busy machine,
 * so a CreateKeyPair takes the spare and starts the next one, and answers at once unless calls come faster than keys.
 */
let spareRsaKeyPair: ReturnType<typeof newRsaKeyPair> | undefined;

function rsaKeyPair(): ReturnType<typeof newRsaKeyPair> {
  const next = spareRsaKeyPair ?? newRsaKeyPair();
  spareRsaKeyPair = newRsaKeyPair();
  // Nobody may wait on the spare for a while: a failure is seen by the call that takes it, not as an unhandled one.
  spareRsaKeyPair.catch(() => {});
  return next;
}

export async function createKeyMaterial(keyType: KeyType, comment: string): Promise<NewKeyMaterial> {
  if (keyType === "rsa") {
    // Generated off the event loop, so other requests go on meanwhile.
    const { privateKey, publicKey } = await rsaKeyPair();
    const pkcs8 = privateKey.export({ type: "pkcs8", format: "der" });
    return {
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKeyOpenSsh: `ssh-rsa ${rsaBlob(publicKey).toString("base64")} ${comment}`,
      fingerprint: colonHex(createHash("sha1").update(pkcs8).digest()),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const blob = ed25519Blob(raw);
  return {
    privateKeyPem: openSshPrivateKey(blob, raw, seed, comment),
    publicKeyOpenSsh: `ssh-ed25519 ${blob.toString("base64")} ${comment}`,
    fingerprint: sha256Fingerprint(blob),
  };
}

export function importPublicKey(material: Uint8Array): ImportedKey {
  const text = Buffer.from(material).toString("utf8").trim();
  const blob = publicKeyBlob(text);
  const fields = readSshStrings(blob);
  const type = fields[0]?.toString();
  if (type === "ssh-rsa" && fields.length === 3) {
    const [, e, n] = fields as [Buffer, Buffer, Buffer];
    const key = rsaPublicKey(e, n);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (![1024, 2048, 4096].includes(bits)) {
      throw Errors.keyPairFormat(`RSA keys of ${bits} bits are not supported. Use 1024, 2048 or 4096 bits.`);
    }
    return {
      keyType: "rsa",
      publicKeyOpenSsh: `ssh-rsa ${blob.toString("base64")}`,
      fingerprint: colonHex(
        createHash("md5")
          .update(key.export({ type: "spki", format: "der" }))
          .digest(),
      ),
    };
  }
  if (type === "ssh-ed25519" && fields.length === 2 && fields[1]!.length === 32) {
    return { keyType: "ed25519", publicKeyOpenSsh: `ssh-ed25519 ${blob.toString("base64")}`, fingerprint: sha256Fingerprint(blob) };
  }
  throw Errors.keyPairFormat("Key is not in valid OpenSSH public key format. Supported types are ssh-rsa and ssh-ed25519.");
}

/**
 * What EC2 Windows does with its administrator password: RSA encryption (PKCS#1 v1.5) to the key pair's public
 * key, in base64, which `aws ec2 get-password-data --priv-launch-key` decrypts. Undefined for a key that is not RSA.
 */
export function encryptToKeyPair(publicKeyOpenSsh: string, plaintext: string): string | undefined {
  const fields = readSshStrings(publicKeyBlob(publicKeyOpenSsh));
  if (fields[0]?.toString() !== "ssh-rsa" || fields.length !== 3) return undefined;
  const key = rsaPublicKey(fields[1]!, fields[2]!);
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(plaintext)).toString("base64");
}

/** An RSA public key from an ssh-rsa blob's exponent and modulus (mpints). */
function rsaPublicKey(e: Buffer, n: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "RSA", e: unsigned(e).toString("base64url"), n: unsigned(n).toString("base64url") }, format: "jwk" });
}

function publicKeyBlob(text: string): Buffer {
  const rfc4716 = /^---- BEGIN SSH2 PUBLIC KEY ----([\s\S]*)---- END SSH2 PUBLIC KEY ----$/.exec(text);
  if (rfc4716) {
    const body = rfc4716[1]!
      .split(/\r?\n/)
      .filter((line) => line && !line.includes(":") && !line.startsWith(" "))
      .join("");
    return Buffer.from(body, "base64");
  }
  const [, base64] = text.split(/\s+/);
  if (!base64 || !/^[A-Za-z0-9+/]+=*$/.test(base64)) {
    throw Errors.keyPairFormat("Key is not in valid OpenSSH public key format. Expected a line like 'ssh-ed25519 AAAA... comment'.");
  }
  return Buffer.from(base64, "base64");
}

function readSshStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= blob.length) {
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) throw Errors.keyPairFormat("Key is not in valid OpenSSH public key format: the key data is truncated.");
    out.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== blob.length) throw Errors.keyPairFormat("Key is not in valid OpenSSH public key format: the key data has trailing bytes.");
  return out;
}

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function mpint(unsignedBigEndian: Buffer): Buffer {
  const trimmed = unsigned(unsignedBigEndian);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function unsigned(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function rsaBlob(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  return Buffer.concat([sshString("ssh-rsa"), mpint(Buffer.from(jwk.e!, "base64url")), mpint(Buffer.from(jwk.n!, "base64url"))]);
}

function ed25519Blob(raw: Buffer): Buffer {
  return Buffer.concat([sshString("ssh-ed25519"), sshString(raw)]);
}

/** The openssh-key-v1 format, unencrypted, as `ssh-keygen -t ed25519` writes it. */
function openSshPrivateKey(blob: Buffer, publicRaw: Buffer, seed: Buffer, comment: string): string {
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString("ssh-ed25519"), sshString(publicRaw), sshString(Buffer.concat([seed, publicRaw])), sshString(comment)]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, padding]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    count,
    sshString(blob),
    sshString(section),
  ]);
  const lines = body
    .toString("base64")
    .match(/.{1,70}/g)!
    .join("\n");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function colonHex(digest: Buffer): string {
  return digest.toString("hex").match(/../g)!.join(":");
}

function sha256Fingerprint(blob: Buffer): string {
  return createHash("sha256").update(blob).digest("base64");
}
