// KmsKeyId on the volumes mini-ec2 creates. There is no KMS here: a key id, key ARN, alias name or alias ARN of the
// right form is accepted and kept as an ARN (what EC2 shows), without checking that the key exists
// (docs/decisions.md). EC2 takes a key only with Encrypted set.
import { createHash } from "node:crypto";
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

/**
 * The ARN of the account's AWS managed key for EBS (alias aws/ebs) in a region: what EC2 shows as the KmsKeyId of a
 * volume encrypted without a key of its own. There is no KMS here, so the key id is derived, stable per account
 * and region, in a key id's form.
 */
export function awsManagedEbsKeyArn(scope: { accountId: string; region: string }): string {
  const hex = createHash("sha256").update(`aws/ebs ${scope.accountId} ${scope.region}`).digest("hex");
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${id}`;
}
