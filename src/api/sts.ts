// The two STS operations mini-ec2 answers at its own endpoint: GetSessionToken (temporary credentials whose
// session token the server verifies) and GetCallerIdentity. Every access key acts as its account's root user.
import type { GetCallerIdentityResponse, GetSessionTokenRequest, GetSessionTokenResponse } from "@aws-sdk/client-sts";
import { Errors } from "../domain/errors.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { SessionCredentials } from "../services/session-credentials.js";

const defaultDurationSeconds = 43_200;

/** STS operations mini-ec2 has no use for: it models no roles, federation or SAML; dispatch answers them Unsupported. */
export const stsUnimplemented = [
  "AssumeRole",
  "AssumeRoleWithSAML",
  "AssumeRoleWithWebIdentity",
  "AssumeRoot",
  "DecodeAuthorizationMessage",
  "GetAccessKeyInfo",
  "GetDelegatedAccessToken",
  "GetFederationToken",
  "GetWebIdentityToken",
];

export function stsOperations(sessions: SessionCredentials): OperationTable {
  return {
    GetSessionToken: operation<GetSessionTokenRequest, GetSessionTokenResponse>({
      handle(input, caller) {
        if (caller.parentAccessKeyId) throw Errors.accessDenied("Cannot call GetSessionToken with session credentials");
        return { Credentials: sessions.issue(caller, input.DurationSeconds ?? defaultDurationSeconds) };
      },
    }),
    GetCallerIdentity: operation<Record<string, never>, GetCallerIdentityResponse>({
      handle(_input, caller) {
        return { UserId: caller.accountId, Account: caller.accountId, Arn: `arn:aws:iam::${caller.accountId}:root` };
      },
    }),
  };
}
