// DescribeKeyPairs' filter names, read from a key pair.
import type { FilterSpec } from "../filters.js";
import type { KeyPair } from "../key-pairs.js";

export const keyPairFilters: FilterSpec<KeyPair> = {
  fields: {
    "key-pair-id": (k) => k.keyPairId,
    "key-name": (k) => k.keyName,
    fingerprint: (k) => k.fingerprint,
    "key-type": (k) => k.keyType,
  },
  tags: (k) => k.tags,
};
