// CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair.
import type {
  CreateKeyPairRequest,
  KeyPair as CreateKeyPairResult,
  DeleteKeyPairRequest,
  DeleteKeyPairResult,
  DescribeKeyPairsRequest,
  DescribeKeyPairsResult,
  ImportKeyPairRequest,
  ImportKeyPairResult,
  KeyPairInfo,
} from "@aws-sdk/client-ec2";
import { Errors } from "../domain/errors.js";
import type { KeyPair } from "../domain/key-pairs.js";
import { tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { KeyPairService } from "../services/key-pairs.js";

export function keyPairOperations(keyPairs: KeyPairService): OperationTable {
  return {
    CreateKeyPair: operation<CreateKeyPairRequest, CreateKeyPairResult>({
      validate(input) {
        if (input.KeyFormat === "ppk") {
          throw Errors.invalidParameterValue("mini-ec2 does not produce PuTTY (ppk) keys. Use --key-format pem and convert it with puttygen.");
        }
        tagsFromSpecifications(input.TagSpecifications, "key-pair");
      },
      async handle(input, caller) {
        const tags = tagsFromSpecifications(input.TagSpecifications, "key-pair");
        const { keyPair, privateKey } = await keyPairs.create(caller, input.KeyName!, input.KeyType ?? "rsa", tags);
        return {
          KeyFingerprint: keyPair.fingerprint,
          KeyMaterial: privateKey,
          KeyName: keyPair.keyName,
          KeyPairId: keyPair.keyPairId,
          Tags: keyPair.tags,
        };
      },
    }),

    ImportKeyPair: operation<ImportKeyPairRequest, ImportKeyPairResult>({
      validate(input) {
        tagsFromSpecifications(input.TagSpecifications, "key-pair");
      },
      async handle(input, caller) {
        const tags = tagsFromSpecifications(input.TagSpecifications, "key-pair");
        const keyPair = await keyPairs.import(caller, input.KeyName!, input.PublicKeyMaterial!, tags);
        return { KeyFingerprint: keyPair.fingerprint, KeyName: keyPair.keyName, KeyPairId: keyPair.keyPairId, Tags: keyPair.tags };
      },
    }),

    DescribeKeyPairs: operation<DescribeKeyPairsRequest, DescribeKeyPairsResult>({
      async handle(input, caller) {
        const matching = await keyPairs.describe(caller, input.KeyNames, input.KeyPairIds, input.Filters);
        return { KeyPairs: matching.map((k) => keyPairInfo(k, input.IncludePublicKey === true)) };
      },
    }),

    DeleteKeyPair: operation<DeleteKeyPairRequest, DeleteKeyPairResult>({
      async handle(input, caller) {
        const deletedId = await keyPairs.delete(caller, { keyName: input.KeyName, keyPairId: input.KeyPairId });
        return { Return: true, KeyPairId: deletedId };
      },
    }),
  };
}

function keyPairInfo(keyPair: KeyPair, includePublicKey: boolean): KeyPairInfo {
  return {
    KeyPairId: keyPair.keyPairId,
    KeyType: keyPair.keyType,
    Tags: keyPair.tags,
    PublicKey: includePublicKey ? keyPair.publicKey : undefined,
    CreateTime: keyPair.createdAt,
    KeyName: keyPair.keyName,
    KeyFingerprint: keyPair.fingerprint,
  };
}
