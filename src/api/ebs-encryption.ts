// GetEbsEncryptionByDefault, EnableEbsEncryptionByDefault, DisableEbsEncryptionByDefault, GetEbsDefaultKmsKeyId.
import type {
  DisableEbsEncryptionByDefaultResult,
  EnableEbsEncryptionByDefaultResult,
  GetEbsDefaultKmsKeyIdResult,
  GetEbsEncryptionByDefaultResult,
} from "@aws-sdk/client-ec2";
import { type OperationTable, operation } from "../protocol/operation.js";
import { defaultEbsKmsKeyAlias, type EbsEncryptionService } from "../services/ebs-encryption.js";

export function ebsEncryptionOperations(encryption: EbsEncryptionService): OperationTable {
  return {
    GetEbsEncryptionByDefault: operation<object, GetEbsEncryptionByDefaultResult>({
      async handle(_input, caller) {
        return { EbsEncryptionByDefault: await encryption.enabled(caller) };
      },
    }),
    EnableEbsEncryptionByDefault: operation<object, EnableEbsEncryptionByDefaultResult>({
      async handle(_input, caller) {
        return { EbsEncryptionByDefault: await encryption.set(caller, true) };
      },
    }),
    DisableEbsEncryptionByDefault: operation<object, DisableEbsEncryptionByDefaultResult>({
      async handle(_input, caller) {
        return { EbsEncryptionByDefault: await encryption.set(caller, false) };
      },
    }),
    GetEbsDefaultKmsKeyId: operation<object, GetEbsDefaultKmsKeyIdResult>({
      async handle() {
        return { KmsKeyId: defaultEbsKmsKeyAlias };
      },
    }),
  };
}
