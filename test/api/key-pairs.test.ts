// Key pairs through the SDK: material a real ssh-keygen accepts, EC2's fingerprints, filters and errors.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateKeyPairCommand,
  DeleteKeyPairCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { testServer } from "../support/server.js";

const dir = mkdtempSync(join(tmpdir(), "mini-ec2-keys-"));
const server = testServer();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshKeygen(...args: string[]): string {
  return execFileSync("ssh-keygen", args, { encoding: "utf8" }).trim();
}

describe("CreateKeyPair", () => {
  it.each(["rsa", "ed25519"] as const)("returns a %s private key that ssh-keygen reads, matching the stored public key", async (KeyType) => {
    const ec2 = server.ec2();
    const created = await ec2.send(new CreateKeyPairCommand({ KeyName: `made-${KeyType}`, KeyType }));
    expect(created.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    const file = join(dir, `made-${KeyType}`);
    writeFileSync(file, created.KeyMaterial!, { mode: 0o600 });
    const derivedPublic = sshKeygen("-y", "-f", file).split(" ").slice(0, 2).join(" ");
    const { KeyPairs } = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [`made-${KeyType}`], IncludePublicKey: true }));
    expect(KeyPairs![0]!.PublicKey!.split(" ").slice(0, 2).join(" ")).toBe(derivedPublic);
    expect(KeyPairs![0]).toMatchObject({ KeyType, KeyFingerprint: created.KeyFingerprint });
    if (KeyType === "rsa") {
      // EC2's fingerprint of a key it made: SHA-1 of the private key in PKCS#8 DER.
      const pkcs8 = createPrivateKey(created.KeyMaterial!).export({ type: "pkcs8", format: "der" });
      expect(created.KeyFingerprint).toBe(createHash("sha1").update(pkcs8).digest("hex").match(/../g)!.join(":"));
    } else expect(`SHA256:${created.KeyFingerprint!.replace(/=+$/, "")}`).toBe(sshKeygen("-l", "-f", file).split(" ")[1]);
  });

  it("launches a Windows AMI with an RSA key pair and refuses an ED25519 one, as EC2 does", async () => {
    const ec2 = server.ec2();
    const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["Windows_Server-2019-*"] }] }));
    await ec2.send(new CreateKeyPairCommand({ KeyName: "windows-rsa", KeyType: "rsa" }));
    await ec2.send(new CreateKeyPairCommand({ KeyName: "windows-ed25519", KeyType: "ed25519" }));
    const launch = (KeyName: string) =>
      ec2
        .send(new RunInstancesCommand({ ImageId: Images![0]!.ImageId, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, KeyName, DryRun: true }))
        .catch((e) => e);
    expect((await launch("windows-rsa")).name).toBe("DryRunOperation");
    expect(await launch("windows-ed25519")).toMatchObject({
      name: "Unsupported",
      message: "ED25519 key pairs are not supported with Windows AMIs. Choose a different key pair type and try again.",
    });
  });

  it("refuses a second key pair of the same name, and names beyond ASCII", async () => {
    const ec2 = server.ec2();
    await ec2.send(new CreateKeyPairCommand({ KeyName: "twice", KeyType: "ed25519" }));
    await expect(ec2.send(new CreateKeyPairCommand({ KeyName: "twice", KeyType: "ed25519" }))).rejects.toMatchObject({
      name: "InvalidKeyPair.Duplicate",
      message: "The keypair 'twice' already exists.",
    });
    await expect(ec2.send(new CreateKeyPairCommand({ KeyName: "clé" }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Character sets beyond ASCII are not supported.",
    });
  });
});

describe("ImportKeyPair", () => {
  it("takes an OpenSSH RSA public key and fingerprints it as EC2 does (MD5 of the DER public key)", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pemFile = join(dir, "import.pub.pem");
    writeFileSync(pemFile, publicKey.export({ type: "spki", format: "pem" }));
    const openSsh = sshKeygen("-i", "-m", "PKCS8", "-f", pemFile);
    const imported = await server.ec2().send(new ImportKeyPairCommand({ KeyName: "imported-rsa", PublicKeyMaterial: Buffer.from(`${openSsh} me@laptop\n`) }));
    const expected = createHash("md5")
      .update(publicKey.export({ type: "spki", format: "der" }))
      .digest("hex")
      .match(/../g)!
      .join(":");
    expect(imported.KeyFingerprint).toBe(expected);
  });

  it("takes an ed25519 key made by ssh-keygen, and rejects what is not a public key", async () => {
    const file = join(dir, "id_ed25519");
    sshKeygen("-t", "ed25519", "-N", "", "-q", "-f", file);
    const publicLine = execFileSync("cat", [`${file}.pub`], { encoding: "utf8" });
    const imported = await server.ec2().send(new ImportKeyPairCommand({ KeyName: "imported-ed", PublicKeyMaterial: Buffer.from(publicLine) }));
    expect(`SHA256:${imported.KeyFingerprint!.replace(/=+$/, "")}`).toBe(sshKeygen("-l", "-f", `${file}.pub`).split(" ")[1]);

    await expect(server.ec2().send(new ImportKeyPairCommand({ KeyName: "junk", PublicKeyMaterial: Buffer.from("not a key") }))).rejects.toMatchObject({
      name: "InvalidKeyPair.Format",
      $metadata: { httpStatusCode: 400 },
    });
    expect((await server.ec2().send(new DescribeKeyPairsCommand({ Filters: [{ Name: "key-name", Values: ["junk"] }] }))).KeyPairs).toEqual([]);
  });
});

describe("DescribeKeyPairs and DeleteKeyPair", () => {
  it("filters by tag and type, and deletes by id with its tags", async () => {
    const ec2 = server.ec2();
    const tagged = await ec2.send(
      new CreateKeyPairCommand({
        KeyName: "tagged",
        KeyType: "ed25519",
        TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "env", Value: "ci-42" }] }],
      }),
    );
    const byTag = await ec2.send(
      new DescribeKeyPairsCommand({
        Filters: [
          { Name: "tag:env", Values: ["ci-*"] },
          { Name: "key-type", Values: ["ed25519"] },
        ],
      }),
    );
    expect(byTag.KeyPairs!.map((k) => k.KeyName)).toEqual(["tagged"]);
    expect(byTag.KeyPairs![0]!.Tags).toEqual([{ Key: "env", Value: "ci-42" }]);

    const deleted = await ec2.send(new DeleteKeyPairCommand({ KeyPairId: tagged.KeyPairId }));
    expect(deleted).toMatchObject({ Return: true, KeyPairId: tagged.KeyPairId });
    expect((await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: "tag-key", Values: ["env"] }] }))).KeyPairs).toEqual([]);
    expect(await server.store.prisma.tag.count({ where: { resourceId: tagged.KeyPairId! } })).toBe(0);
  });

  it("rejects reserved tag keys and tags for another resource type", async () => {
    const ec2 = server.ec2();
    await expect(
      ec2.send(new CreateKeyPairCommand({ KeyName: "aws-tag", TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "aws:owner", Value: "x" }] }] })),
    ).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Tag keys starting with 'aws:' are reserved for internal use",
    });
    await expect(
      ec2.send(new CreateKeyPairCommand({ KeyName: "wrong-type", TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }] })),
    ).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "'instance' is not a valid taggable resource type for this operation. This call tags 'key-pair'.",
    });
    expect(await server.store.prisma.keyPair.count({ where: { keyName: { in: ["aws-tag", "wrong-type"] } } })).toBe(0);
  });
});
