// KmsKeyId on the volumes mini-ec2 creates. There is no KMS here: a key id, key ARN, alias name or alias ARN of the
// right form is accepted and kept as an ARN (what EC2 shows), without checking that the key exists
// (docs/decisions.md). EC2 takes a key only with Encrypted set.
import { Errors } from "./errors.js";

const keyId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const multiRegionKeyId = /^mrk-[0-9a-f]{32}$/;
const aliasName = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const keyArn = /^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(key\/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})|alias\/[A-Za-z0-9/_-]{1,250})$/;

/** The key as EC2 shows it (an ARN), or undefined when none was given; refused without Encrypted or when malformed. */
export function kmsKeyArn(kmsKeyId: string | undefined, encrypted: boolean | undefined, scope: { accountId: string; region: string }): string | undefined {
  if (kmsKeyId === undefined) return undefined;
  if (encrypted !== true) throw Errors.kmsKeyWithoutEncryption();
  if (keyArn.test(kmsKeyId)) return kmsKeyId;
  const prefix = `arn:aws:kms:${scope.region}:${scope.accountId}`;
  if (keyId.test(kmsKeyId) || multiRegionKeyId.test(kmsKeyId)) return `${prefix}:key/${kmsKeyId}`;
  if (aliasName.test(kmsKeyId)) return `${prefix}:${kmsKeyId}`;
  throw Errors.kmsKeyMalformed(kmsKeyId);
}
