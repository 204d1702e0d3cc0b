// Key pairs: EC2's naming rule and the record every layer passes around.
import { Errors } from "./errors.js";
import type { Tag } from "./tags.js";

export interface KeyPair {
  keyPairId: string;
  accountId: string;
  region: string;
  keyName: string;
  keyType: "rsa" | "ed25519";
  fingerprint: string;
  publicKey: string;
  createdAt: Date;
  tags: Tag[];
}

export function validateKeyName(name: string): void {
  if (name.length === 0) throw Errors.missingParameter("KeyName");
  if (name.length > 255) throw Errors.invalidParameterValue("The key pair name is longer than the maximum of 255 characters.");
  // eslint-disable-next-line no-control-regex
  if (!/^[\x20-\x7e]+$/.test(name)) throw Errors.invalidParameterValue("Character sets beyond ASCII are not supported.");
}
