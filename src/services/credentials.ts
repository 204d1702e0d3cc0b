// Finds the secret a request must have been signed with, and the caller it speaks for: a stored access key, or
// temporary credentials whose session token the server issued for a key that still exists in the same account.
import type { Caller, SigningIdentity } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import type { AccountsRepo } from "../store/accounts-repo.js";
import type { SessionCredentials } from "./session-credentials.js";

export interface ResolvedCredentials {
  secretAccessKey: string;
  caller: Caller;
}

export class CredentialResolver {
  constructor(
    private readonly accounts: AccountsRepo,
    private readonly sessions: SessionCredentials,
  ) {}

  async resolve(identity: SigningIdentity): Promise<ResolvedCredentials> {
    if (identity.sessionToken) {
      const session = this.sessions.verify(identity.accessKeyId, identity.sessionToken);
      // Temporary credentials die with the key that made them, and never outlive a move of that key.
      const parent = await this.accounts.findAccessKey(session.parentAccessKeyId);
      if (!parent || parent.accountId !== session.accountId) throw Errors.invalidToken();
      return {
        secretAccessKey: session.secretAccessKey,
        caller: { accountId: session.accountId, accessKeyId: identity.accessKeyId, region: identity.region, parentAccessKeyId: parent.accessKeyId },
      };
    }
    const key = await this.accounts.findAccessKey(identity.accessKeyId);
    if (!key) {
      throw Errors.authFailure(
        identity.accessKeyId.startsWith("ASIA")
          ? "AWS was not able to validate the provided access credentials: temporary credentials (ASIA...) need their session token (X-Amz-Security-Token)."
          : "AWS was not able to validate the provided access credentials",
      );
    }
    return { secretAccessKey: key.secretAccessKey, caller: { accountId: key.accountId, accessKeyId: key.accessKeyId, region: identity.region } };
  }
}
