// Ubuntu 22.04 and Debian 12 in the seeded catalog, owned by their publishers, found through the SSM paths Canonical
// and Debian publish, and launched on an x86 Nitro type (c5.large) and a Graviton one (c7g.large).
import { rmSync } from "node:fs";
import { DescribeImagesCommand, EC2Client, type Image, RunInstancesCommand } from "@aws-sdk/client-ec2";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import { aws } from "../support/aws-cli.js";
import { extension } from "../support/extensions.js";
import { jsonRequest } from "../support/json-request.js";
import { defaultCredentials, startTestServer, testServer } from "../support/server.js";

const canonical = "099720109477";
const debian = "136693071363";

const distributions = [
  { os: "Ubuntu 22.04", owner: canonical, path: (arch: string) => `/aws/service/canonical/ubuntu/server/22.04/stable/current/${arch}/hvm/ebs-gp2/ami-id` },
  { os: "Debian 12", owner: debian, path: (arch: string) => `/aws/service/debian/release/12/latest/${arch}` },
];
const architectures = [
  { arch: "amd64", architecture: "x86_64", bootMode: "uefi-preferred", type: "c5.large" },
  { arch: "arm64", architecture: "arm64", bootMode: "uefi", type: "c7g.large" },
] as const;

describe("Ubuntu 22.04 and Debian 12", () => {
  const server = testServer();
  let images: Image[] = [];
  beforeAll(async () => {
    images = (await server.ec2().send(new DescribeImagesCommand({ Owners: [canonical, debian] }))).Images ?? [];
  });
  const parameter = async (name: string) => {
    const response = await jsonRequest(server.url, "AmazonSSM.GetParameter", { Name: name });
    expect(response.status, JSON.stringify(response.json)).toBe(200);
    return response.json.Parameter.Value as string;
  };

  it("are their publishers' public images, HVM with ENA, in both architectures, and not Amazon's", async () => {
    expect(images).toHaveLength(4);
    for (const image of images) {
      expect(image).toMatchObject({ Public: true, VirtualizationType: "hvm", EnaSupport: true, RootDeviceType: "ebs", State: "available" });
      expect(image).not.toHaveProperty("ImageOwnerAlias");
    }
    const amazon = (await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images!;
    expect(amazon.some((image) => image.OwnerId === canonical || image.OwnerId === debian)).toBe(false);
  });

  for (const { os, owner, path } of distributions) {
    for (const { arch, architecture, bootMode, type } of architectures) {
      it(`${os} ${arch}: SSM's ${path(arch)} names it, and it launches on ${type}`, async () => {
        const imageId = await parameter(path(arch));
        const image = images.find((candidate) => candidate.ImageId === imageId);
        expect(image).toMatchObject({ OwnerId: owner, Architecture: architecture, BootMode: bootMode });

        const explained = await extension(server.url, "ExplainLaunch", { ImageId: imageId, InstanceType: type });
        expect(explained).toMatchObject({ launchable: true, wouldBoot: true });
        const { Instances } = await server.ec2().send(new RunInstancesCommand({ ImageId: imageId, InstanceType: type, MinCount: 1, MaxCount: 1 }));
        expect(Instances![0]).toMatchObject({ ImageId: imageId, Architecture: architecture, BootMode: "uefi", EnaSupport: true });
      });
    }
  }

  it("answers the code-name paths with the same images, and refuses an arm64 image on c5.large", async () => {
    expect(await parameter("/aws/service/canonical/ubuntu/server/jammy/stable/current/arm64/hvm/ebs-gp2/ami-id")).toBe(
      await parameter(distributions[0]!.path("arm64")),
    );
    const bookworm = await parameter("/aws/service/debian/release/bookworm/latest/amd64");
    expect(bookworm).toBe(await parameter(distributions[1]!.path("amd64")));
    const arm = await parameter(distributions[1]!.path("arm64"));
    const refused = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: arm, InstanceType: "c5.large", MinCount: 1, MaxCount: 1 }))
      .catch((error) => error);
    expect(refused.name).toBe("InvalidParameterValue");
    expect(refused.message).toContain("arm64");
  });

  it("are found by the AWS CLI's ssm get-parameters", async () => {
    const result = await aws(server.url, ["ssm", "get-parameters", "--names", distributions[0]!.path("amd64"), distributions[1]!.path("arm64")]);
    expect(result.code, result.stderr).toBe(0);
    const found = result.json.Parameters as Array<{ Name: string; Value: string }>;
    expect(found.map((p) => p.Name).sort()).toEqual([distributions[0]!.path("amd64"), distributions[1]!.path("arm64")].sort());
    for (const { Value } of found) expect(images.some((image) => image.ImageId === Value)).toBe(true);
  });
});

describe("a database seeded before these images existed", () => {
  it("gets them at its next start: the catalog's version changed, so the seed runs and adds the missing rows", async () => {
    const server = await startTestServer();
    const databasePath = server.databaseUrl.replace(/^file:/, "");
    await server.close();
    // Make the database what an older mini-ec2 left: without the publishers' images, under another catalog version.
    const db = new Database(databasePath);
    db.prepare("DELETE FROM Image WHERE accountId IN (?, ?)").run(canonical, debian);
    db.prepare("DELETE FROM Snapshot WHERE accountId IN (?, ?)").run(canonical, debian);
    db.prepare("UPDATE ServerSecret SET value = 'an-older-catalog' WHERE name = 'amazon-catalog-version'").run();
    db.close();

    const restarted = await startServer(loadConfig({ PORT: "0", LOG_LEVEL: "silent", DATABASE_URL: server.databaseUrl, MINI_EC2_DELAYS: "zero" }));
    try {
      const ec2 = new EC2Client({ endpoint: restarted.url, region: "eu-west-1", credentials: defaultCredentials, maxAttempts: 1 });
      const { Images } = await ec2.send(new DescribeImagesCommand({ Owners: [canonical, debian] }));
      expect(Images!.map((image) => image.Name).sort()).toEqual([
        "debian-12-amd64-20230711-1438",
        "debian-12-arm64-20230711-1438",
        "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20240927",
        "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20240927",
      ]);
    } finally {
      await restarted.close();
      rmSync(server.dir, { recursive: true, force: true });
    }
  });
});
