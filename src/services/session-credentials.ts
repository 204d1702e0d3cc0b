// Temporary credentials, as STS GetSessionToken issues them. The session token is a JWT signed with a key the
// server keeps in its database, so tokens survive a restart. The temporary secret is not stored anywhere: it is
// derived from the signing key and the temporary access key id, and derived again to verify a request.
import { createHmac, randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";

export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export interface SessionClaims {
  accountId: string;
  accessKeyId: string;
  parentAccessKeyId: string;
}

interface TokenPayload {
  sub: string;
  akid: string;
  pak: string;
}

const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export class SessionCredentials {
  constructor(
    private readonly signingKey: string,
    private readonly clock: Clock,
  ) {}

  issue(parent: { accountId: string; accessKeyId: string }, durationSeconds: number): IssuedCredentials {
    const accessKeyId = `ASIA${[...randomBytes(16)].map((b) => base32[b % 32]).join("")}`;
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const payload: TokenPayload & { iat: number; exp: number } = {
      sub: parent.accountId,
      akid: accessKeyId,
      pak: parent.accessKeyId,
      iat: nowSeconds,
      exp: nowSeconds + durationSeconds,
    };
    return {
      AccessKeyId: accessKeyId,
      SecretAccessKey: this.secretOf(accessKeyId),
      SessionToken: jwt.sign(payload, this.signingKey, { algorithm: "HS256" }),
      Expiration: new Date(payload.exp * 1000),
    };
  }

  /** Checks a session token presented with `accessKeyId`, and returns who it speaks for and the secret to verify with. */
  verify(accessKeyId: string, token: string): SessionClaims & { secretAccessKey: string } {
    let payload: TokenPayload;
    try {
      payload = jwt.verify(token, this.signingKey, {
        algorithms: ["HS256"],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      }) as TokenPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw Errors.expiredToken();
      throw Errors.invalidToken();
    }
    if (payload.akid !== accessKeyId || typeof payload.sub !== "string" || typeof payload.pak !== "string") {
      throw Errors.invalidToken();
    }
    return { accountId: payload.sub, accessKeyId, parentAccessKeyId: payload.pak, secretAccessKey: this.secretOf(accessKeyId) };
  }

  private secretOf(accessKeyId: string): string {
    return createHmac("sha256", this.signingKey).update(`session-secret:${accessKeyId}`).digest("base64").slice(0, 40);
  }
}

export function newSigningKey(): string {
  return randomBytes(32).toString("base64");
}
