// Accounts and regions are walls: what one account makes, another can neither see nor change, and a region
// sees only its own resources.
import { CreateKeyPairCommand, DeleteKeyPairCommand, DescribeKeyPairsCommand } from "@aws-sdk/client-ec2";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { beforeAll, describe, expect, it } from "vitest";
import { admin } from "../support/processes.js";
import { testServer } from "../support/server.js";

const server = testServer();
let other: { accessKeyId: string; secretAccessKey: string; accountId: string };
beforeAll(async () => {
  other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
});

describe("accounts made by the admin command", () => {
  it("get a working AKIA key and a secret, and are who STS says they are", async () => {
    expect(other.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const identity = await server.sts({ credentials: other }).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:root" });
    const listed = await admin(server.databaseUrl, "list-accounts");
    expect(listed.map((a: { accountId: string }) => a.accountId)).toEqual(["000000000000", "111122223333"]);
  });
});

describe("isolation", () => {
  it("hides one account's key pair from another, which cannot delete it either", async () => {
    const owner = server.ec2();
    const stranger = server.ec2({ credentials: other });
    const { KeyPairId } = await owner.send(new CreateKeyPairCommand({ KeyName: "shared-name" }));

    expect((await stranger.send(new DescribeKeyPairsCommand({}))).KeyPairs).toEqual([]);
    await expect(stranger.send(new DescribeKeyPairsCommand({ KeyNames: ["shared-name"] }))).rejects.toMatchObject({
      name: "InvalidKeyPair.NotFound",
      message: "The key pair 'shared-name' does not exist",
    });
    await expect(stranger.send(new DescribeKeyPairsCommand({ KeyPairIds: [KeyPairId!] }))).rejects.toMatchObject({ name: "InvalidKeyPair.NotFound" });

    // EC2 answers a delete of a missing key pair with success; the owner's key pair must survive it.
    await stranger.send(new DeleteKeyPairCommand({ KeyPairId }));
    await stranger.send(new DeleteKeyPairCommand({ KeyName: "shared-name" }));
    expect((await owner.send(new DescribeKeyPairsCommand({ KeyNames: ["shared-name"] }))).KeyPairs![0]!.KeyPairId).toBe(KeyPairId);

    // The name is per account: the other account may use it too.
    const theirs = await stranger.send(new CreateKeyPairCommand({ KeyName: "shared-name" }));
    expect(theirs.KeyPairId).not.toBe(KeyPairId);
  });

  it("keeps regions apart within one account", async () => {
    const east = server.ec2({ region: "us-east-1" });
    const west = server.ec2({ region: "eu-west-1" });
    await east.send(new CreateKeyPairCommand({ KeyName: "regional" }));
    expect((await west.send(new DescribeKeyPairsCommand({ Filters: [{ Name: "key-name", Values: ["regional"] }] }))).KeyPairs).toEqual([]);
    await west.send(new CreateKeyPairCommand({ KeyName: "regional" }));
    expect((await east.send(new DescribeKeyPairsCommand({ KeyNames: ["regional"] }))).KeyPairs).toHaveLength(1);
  });

  it("stops accepting a key the admin deleted", async () => {
    const extra = await admin(server.databaseUrl, "create-access-key", "--account-id", "111122223333");
    expect((await server.ec2({ credentials: extra }).send(new DescribeKeyPairsCommand({}))).KeyPairs).toBeDefined();
    await admin(server.databaseUrl, "delete-access-key", "--access-key-id", extra.accessKeyId);
    await expect(server.ec2({ credentials: extra }).send(new DescribeKeyPairsCommand({}))).rejects.toMatchObject({ name: "AuthFailure" });
  });
});
