// Temporary credentials: STS GetSessionToken at the same endpoint, verified on every EC2 call that carries them.
import { CreateKeyPairCommand, DescribeKeyPairsCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { SessionCredentials } from "../../src/services/session-credentials.js";
import { ServerSecretsRepo } from "../../src/store/server-secrets-repo.js";
import { testServer } from "../support/server.js";

const server = testServer();

async function sessionCredentials(durationSeconds?: number) {
  const { Credentials } = await server.sts().send(new GetSessionTokenCommand({ DurationSeconds: durationSeconds }));
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretAccessKey!,
    sessionToken: Credentials!.SessionToken!,
    expiration: Credentials!.Expiration!,
  };
}

describe("GetSessionToken", () => {
  it("issues ASIA credentials with a JWT session token, 12 hours by default", async () => {
    const before = Date.now();
    const credentials = await sessionCredentials();
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.secretAccessKey).toHaveLength(40);
    expect(credentials.sessionToken.split(".")).toHaveLength(3);
    const hours = (credentials.expiration.getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(11.99);
    expect(hours).toBeLessThan(12.01);
  });

  it("gives credentials that act for the same account on EC2", async () => {
    const credentials = await sessionCredentials(900);
    const ec2 = server.ec2({ credentials });
    await ec2.send(new CreateKeyPairCommand({ KeyName: "made-with-session" }));
    const seenByKey = await server.ec2().send(new DescribeKeyPairsCommand({ KeyNames: ["made-with-session"] }));
    expect(seenByKey.KeyPairs).toHaveLength(1);
    expect((await server.sts({ credentials }).send(new GetCallerIdentityCommand({}))).Account).toBe("000000000000");
  });

  it("refuses to be called with session credentials", async () => {
    const credentials = await sessionCredentials();
    await expect(server.sts({ credentials }).send(new GetSessionTokenCommand({}))).rejects.toMatchObject({
      name: "AccessDenied",
      message: "Cannot call GetSessionToken with session credentials",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("rejects a duration outside 900..129600 seconds as STS does", async () => {
    await expect(server.sts().send(new GetSessionTokenCommand({ DurationSeconds: 10 }))).rejects.toMatchObject({
      name: "ValidationError",
      message: "1 validation error detected: Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe("session tokens on EC2 calls", () => {
  it("rejects an expired token with ExpiredToken", async () => {
    // Tokens issued two hours ago for 15 minutes, signed with the server's own key: expired now.
    const signingKey = await new ServerSecretsRepo(server.store.sql).getOrCreate("session-token-signing-key", () => {
      throw new Error("the server made its key at start");
    });
    const issuedInThePast = new SessionCredentials(signingKey, { now: () => new Date(Date.now() - 2 * 3_600_000) });
    const old = issuedInThePast.issue({ accountId: "000000000000", accessKeyId: "test" }, 900);
    const credentials = { accessKeyId: old.AccessKeyId, secretAccessKey: old.SecretAccessKey, sessionToken: old.SessionToken };
    await expect(server.ec2({ credentials }).send(new DescribeKeyPairsCommand({}))).rejects.toMatchObject({
      name: "ExpiredToken",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("rejects a tampered token, a token for another key, and ASIA keys without a token, with AuthFailure", async () => {
    const credentials = await sessionCredentials();
    const [header, payload, signature] = credentials.sessionToken.split(".");
    const forged = JSON.parse(Buffer.from(payload!, "base64url").toString());
    forged.sub = "111122223333";
    const tampered = { ...credentials, sessionToken: [header, Buffer.from(JSON.stringify(forged)).toString("base64url"), signature].join(".") };
    await expect(server.ec2({ credentials: tampered }).send(new DescribeKeyPairsCommand({}))).rejects.toMatchObject({
      name: "AuthFailure",
      $metadata: { httpStatusCode: 401 },
    });

    const other = await sessionCredentials();
    await expect(server.ec2({ credentials: { ...credentials, sessionToken: other.sessionToken } }).send(new DescribeKeyPairsCommand({}))).rejects.toMatchObject(
      { name: "AuthFailure" },
    );

    const { sessionToken: _dropped, ...withoutToken } = credentials;
    await expect(server.ec2({ credentials: withoutToken }).send(new DescribeKeyPairsCommand({}))).rejects.toMatchObject({
      name: "AuthFailure",
      message: expect.stringContaining("need their session token"),
    });
  });
});
