// Who is calling: checks the request's SigV4 signature against a stored access key, or against temporary
// credentials from GetSessionToken, and names the account and region every resource of the call belongs to.
import { Errors } from "../domain/errors.js";
import type { Topology } from "../domain/regions.js";
import { type IncomingSignedRequest, verifySignature } from "../protocol/sigv4.js";
import type { AccountsRepo } from "../store/accounts-repo.js";
import type { SessionCredentials } from "./session-credentials.js";

export interface Caller {
  accountId: string;
  accessKeyId: string;
  region: string;
  /** Set when the caller signed with temporary credentials. */
  parentAccessKeyId?: string;
}

export class Authenticator {
  constructor(
    private readonly accounts: AccountsRepo,
    private readonly sessions: SessionCredentials,
    private readonly topology: Topology,
  ) {}

  async authenticate(request: IncomingSignedRequest, expectedService: string, now: Date): Promise<Caller> {
    let caller: Caller | undefined;
    await verifySignature(request, {
      now,
      expectedService,
      isKnownRegion: (region) => this.topology.region(region) !== undefined,
      secretFor: async (identity) => {
        if (identity.sessionToken) {
          const session = this.sessions.verify(identity.accessKeyId, identity.sessionToken);
          // Temporary credentials die with the key that made them.
          if (!(await this.accounts.findAccessKey(session.parentAccessKeyId))) throw Errors.invalidToken();
          caller = { accountId: session.accountId, accessKeyId: identity.accessKeyId, region: identity.region, parentAccessKeyId: session.parentAccessKeyId };
          return session.secretAccessKey;
        }
        const key = await this.accounts.findAccessKey(identity.accessKeyId);
        if (!key) {
          throw Errors.authFailure(
            identity.accessKeyId.startsWith("ASIA")
              ? "AWS was not able to validate the provided access credentials: temporary credentials (ASIA...) need their session token (X-Amz-Security-Token)."
              : "AWS was not able to validate the provided access credentials",
          );
        }
        caller = { accountId: key.accountId, accessKeyId: key.accessKeyId, region: identity.region };
        return key.secretAccessKey;
      },
    });
    return caller!;
  }
}
