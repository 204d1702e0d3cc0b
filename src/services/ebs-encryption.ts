// EBS encryption by default: an account's setting per region. While it is on, every new volume is encrypted
// (CreateVolume, RunInstances' block devices), whatever the request's Encrypted says, with the default key.
import type { Caller } from "../domain/caller.js";
import type { EbsEncryptionRepo } from "../store/ebs-encryption-repo.js";

/** EC2's answer to GetEbsDefaultKmsKeyId while the account has not chosen a key (ModifyEbsDefaultKmsKeyId is not modelled). */
export const defaultEbsKmsKeyAlias = "alias/aws/ebs";

export class EbsEncryptionService {
  constructor(private readonly repo: EbsEncryptionRepo) {}

  enabled(caller: Caller): Promise<boolean> {
    return this.repo.isEnabled(caller);
  }

  /** Turns the setting on or off; answers it as it now is. */
  async set(caller: Caller, enabled: boolean): Promise<boolean> {
    await this.repo.set(caller, enabled);
    return enabled;
  }
}
