// The AWS CLI on the machine (botocore's signer and parser) against a live server: a second real client.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { aws as awsCli } from "../support/aws-cli.js";
import { testServer } from "../support/server.js";

const run = promisify(execFile);
const server = testServer();

const aws = (...args: string[]) => awsCli(server.url, args);

describe("the AWS CLI", () => {
  it("describes regions and zones", async () => {
    const regions = await aws("ec2", "describe-regions", "--filters", "Name=region-name,Values=eu-*");
    expect(regions.code, regions.stderr).toBe(0);
    const names = JSON.parse(regions.stdout).Regions.map((r: { RegionName: string }) => r.RegionName);
    expect(names).toContain("eu-west-1");
    expect(names.every((name: string) => name.startsWith("eu-"))).toBe(true);
    // Regions introduced after 20 March 2019 need an opt-in (here: taken), Milan (2020) and Zurich among them.
    const optedIn = await aws("ec2", "describe-regions", "--filters", "Name=opt-in-status,Values=opted-in", "--query", "Regions[].RegionName");
    expect(JSON.parse(optedIn.stdout)).toEqual(expect.arrayContaining(["af-south-1", "ap-southeast-3", "eu-south-1", "eu-central-2", "ap-east-1"]));
    expect(JSON.parse(optedIn.stdout)).not.toContain("ap-northeast-3");

    const zones = await aws("ec2", "describe-availability-zones", "--region", "eu-west-1", "--zone-names", "eu-west-1b");
    expect(JSON.parse(zones.stdout).AvailabilityZones).toMatchObject([{ ZoneName: "eu-west-1b", State: "available", RegionName: "eu-west-1" }]);
  });

  it("creates, lists and deletes a key pair, with tags", async () => {
    const created = await aws("ec2", "create-key-pair", "--key-name", "from-cli", "--tag-specifications", "ResourceType=key-pair,Tags=[{Key=team,Value=ops}]");
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const listed = JSON.parse((await aws("ec2", "describe-key-pairs", "--filters", "Name=tag:team,Values=ops")).stdout);
    expect(listed.KeyPairs).toMatchObject([{ KeyName: "from-cli", Tags: [{ Key: "team", Value: "ops" }] }]);
    expect((await aws("ec2", "delete-key-pair", "--key-name", "from-cli")).code).toBe(0);
  });

  it("prints EC2's error and exits with a service-error code (254 in CLI v2, 255 in v1)", async () => {
    const result = await aws("ec2", "describe-key-pairs", "--key-names", "nope");
    expect([254, 255]).toContain(result.code);
    expect(result.stderr).toContain(
      "An error occurred (InvalidKeyPair.NotFound) when calling the DescribeKeyPairs operation: The key pair 'nope' does not exist",
    );
    const dryRun = await aws("ec2", "describe-regions", "--dry-run");
    expect(dryRun.stderr).toContain(
      "An error occurred (DryRunOperation) when calling the DescribeRegions operation: Request would have succeeded, but DryRun flag is set.",
    );
  });

  it("gets session credentials from STS at the same endpoint and uses them", async () => {
    const result = await aws("sts", "get-session-token", "--duration-seconds", "900");
    expect(result.code, result.stderr).toBe(0);
    const { Credentials } = JSON.parse(result.stdout);
    expect(Credentials.AccessKeyId).toMatch(/^ASIA/);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: Credentials.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: Credentials.SecretAccessKey,
      AWS_SESSION_TOKEN: Credentials.SessionToken,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    const { stdout } = await run("aws", ["--endpoint-url", server.url, "--output", "json", "sts", "get-caller-identity"], { env });
    expect(JSON.parse(stdout)).toMatchObject({ Account: "000000000000", Arn: "arn:aws:iam::000000000000:root" });
  });
});
