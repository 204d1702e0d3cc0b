// The mini-ec2 command as a user runs it: its compiled code against a live server (test/support/cli.ts), judged by
// what it prints and the exit code it ends with (0, 254 for a service error, 252 for bad usage, 255 otherwise). Its own commands and the
// output formats are in mini-ec2-commands.test.ts, so the two halves run on two workers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, miniEc2, miniEc2Process } from "../support/cli.js";
import { freePort } from "../support/processes.js";
import { testServer } from "../support/server.js";

const server = testServer();

const cli = (...args: string[]) => miniEc2(server.url, args);

describe("help", () => {
  it("lists the commands, the operations of the model and each operation's flags", async () => {
    const [top, ec2, run, images] = await Promise.all([
      cli("help"),
      cli("ec2", "help"),
      cli("ec2", "run-instances", "help"),
      cli("ec2", "describe-images", "help"),
    ]);
    expect(top.stdout).toMatch(/ec2 +Amazon EC2 operations/);
    expect(top.stdout).toContain("matrix");
    expect(ec2.stdout).toContain("o describe-instance-types");
    expect(ec2.stdout).toContain("o allocate-hosts");
    expect(ec2.stdout).toContain("o wait");
    // run-instances: --count replaces --min-count and --max-count, as in the AWS CLI.
    expect(run.stdout).toContain("--image-id (string)");
    expect(run.stdout).toContain("--count (string)");
    expect(run.stdout).toContain("[--dry-run | --no-dry-run]");
    expect(run.stdout).not.toContain("--min-count");
    // Pagination flags stand in for the hidden NextToken and MaxResults.
    expect(images.stdout).toContain("--max-items (integer)");
    expect(images.stdout).toContain("--owners (list of string)");
    expect(images.stdout).not.toContain("--next-token");
    for (const result of [top, ec2, run, images]) expect(result.code).toBe(0);
  });
});

// The commands below run in the worker's CLI process (test/support/cli.ts); these two run as processes of their own,
// for what the process itself does: its exit code and which stream gets what.
describe("usage errors", () => {
  it("exit 252 with the usage banner and what is wrong (each case: test/cli/command-line.test.ts)", async () => {
    const result = await miniEc2Process(server.url, ["ec2", "describe-images", "--foo", "1"]);
    expect(result.stderr).toContain("usage: mini-ec2 [options] <command> <subcommand>");
    expect(result.stderr).toContain("mini-ec2: error: Unknown options: --foo, 1");
    expect(result.stdout).toBe("");
    expect(result.code).toBe(252);
  });
});

describe("service and other errors", () => {
  it("prints EC2's error as the AWS CLI does and exits 254", async () => {
    const [missing, dryRun, unsupported] = await Promise.all([
      cli("ec2", "describe-key-pairs", "--key-names", "nope"),
      cli("ec2", "describe-regions", "--dry-run"),
      cli("ec2", "run-instances", "--image-id", "ami-12345678", "--instance-type", "c5.large", "--count", "2:4"),
    ]);
    expect(missing.stderr).toBe(
      "\nAn error occurred (InvalidKeyPair.NotFound) when calling the DescribeKeyPairs operation: The key pair 'nope' does not exist\n",
    );
    expect(dryRun.stderr).toContain(
      "An error occurred (DryRunOperation) when calling the DescribeRegions operation: Request would have succeeded, but DryRun flag is set.",
    );
    // RunInstances is not on the server yet: the CLI still sends it and reports the server's answer.
    expect(unsupported.stderr).toContain("when calling the RunInstances operation");
    for (const result of [missing, dryRun, unsupported]) expect(result.code).toBe(254);
  });

  it("exits 255 when nothing listens at the endpoint", async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const result = await miniEc2Process(endpoint, ["ec2", "describe-regions"], { AWS_MAX_ATTEMPTS: "1" });
    expect(result.stderr).toContain(`Could not connect to the endpoint URL: "${endpoint}"`);
    expect(result.code).toBe(255);
  });
});

describe("where endpoint, region and credentials come from", () => {
  it("uses AWS_ENDPOINT_URL_EC2 over AWS_ENDPOINT_URL, and --endpoint-url over both", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const [ec2Variable, flag] = await Promise.all([
      miniEc2(nowhere, ["ec2", "describe-regions", "--region-names", "us-east-1"], { AWS_ENDPOINT_URL_EC2: server.url }),
      miniEc2(nowhere, ["--endpoint-url", server.url, "ec2", "describe-regions", "--region-names", "us-east-1"], { AWS_ENDPOINT_URL_EC2: nowhere }),
    ]);
    expect(JSON.parse(ec2Variable.stdout).Regions[0].RegionName).toBe("us-east-1");
    expect(JSON.parse(flag.stdout).Regions[0].RegionName).toBe("us-east-1");
  });

  it("signs for --region, then AWS_DEFAULT_REGION, then the profile's region", async () => {
    const home = cleanEnv().HOME!;
    writeFileSync(join(home, "regions-config"), "[default]\nregion = ap-southeast-2\n");
    const zones = (result: { stdout: string }) => JSON.parse(result.stdout).AvailabilityZones.map((zone: { RegionName: string }) => zone.RegionName);
    const [flag, variable, profile] = await Promise.all([
      cli("ec2", "describe-availability-zones", "--region", "eu-west-1"),
      miniEc2(server.url, ["ec2", "describe-availability-zones"], { AWS_DEFAULT_REGION: "sa-east-1" }),
      miniEc2(server.url, ["ec2", "describe-availability-zones"], { AWS_CONFIG_FILE: join(home, "regions-config") }),
    ]);
    expect(new Set(zones(flag))).toEqual(new Set(["eu-west-1"]));
    expect(new Set(zones(variable))).toEqual(new Set(["sa-east-1"]));
    expect(new Set(zones(profile))).toEqual(new Set(["ap-southeast-2"]));
  });

  it("takes credentials from the environment and from --profile, and falls back to test/test only when there are none", async () => {
    const home = cleanEnv().HOME!;
    const credentials = join(home, "credentials-file");
    writeFileSync(
      credentials,
      "[wrong]\naws_access_key_id = AKIAWRONGWRONGWRONG0\naws_secret_access_key = nope\n\n[right]\naws_access_key_id = test\naws_secret_access_key = test\n",
    );
    const [none, environment, wrongProfile, rightProfile, unknownProfile] = await Promise.all([
      cli("ec2", "describe-regions", "--region-names", "us-east-1"),
      miniEc2(server.url, ["ec2", "describe-regions"], { AWS_ACCESS_KEY_ID: "AKIAWRONGWRONGWRONG0", AWS_SECRET_ACCESS_KEY: "nope" }),
      miniEc2(server.url, ["--profile", "wrong", "ec2", "describe-regions"], { AWS_SHARED_CREDENTIALS_FILE: credentials }),
      miniEc2(server.url, ["ec2", "describe-regions", "--region-names", "us-east-1"], { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_PROFILE: "right" }),
      cli("--profile", "missing", "ec2", "describe-regions"),
    ]);
    expect(none.code, none.stderr).toBe(0);
    expect(environment.stderr).toContain("An error occurred (AuthFailure)");
    expect(environment.code).toBe(254);
    expect(wrongProfile.stderr).toContain("An error occurred (AuthFailure)");
    expect(rightProfile.code, rightProfile.stderr).toBe(0);
    expect(unknownProfile.stderr).toContain("The config profile (missing) could not be found");
    expect(unknownProfile.code).toBe(255);
  });
});

describe("input as the AWS CLI takes it", () => {
  it("takes shorthand, JSON, file:// and --cli-input-json, and generates a skeleton", async () => {
    const home = cleanEnv().HOME!;
    writeFileSync(join(home, "filters.json"), JSON.stringify([{ Name: "tag:team", Values: ["blue"] }]));
    writeFileSync(
      join(home, "input.json"),
      JSON.stringify({ KeyName: "from-input-json", TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "team", Value: "blue" }] }] }),
    );
    const shorthand = await cli(
      "ec2",
      "create-key-pair",
      "--key-name",
      "from-shorthand",
      "--tag-specifications",
      "ResourceType=key-pair,Tags=[{Key=team,Value=blue},{Key=tier,Value=web}]",
    );
    expect(shorthand.code, shorthand.stderr).toBe(0);
    const fromFile = await cli("ec2", "create-key-pair", "--cli-input-json", `file://${join(home, "input.json")}`, "--key-type", "ed25519");
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).KeyMaterial).toContain("OPENSSH PRIVATE KEY");

    const [byJson, byFile, byShorthand, skeleton] = await Promise.all([
      cli("ec2", "describe-key-pairs", "--filters", '[{"Name":"tag:tier","Values":["web"]}]', "--query", "KeyPairs[].KeyName", "--output", "text"),
      cli("ec2", "describe-key-pairs", "--filters", `file://${join(home, "filters.json")}`, "--query", "sort(KeyPairs[].KeyName)", "--output", "json"),
      cli(
        "ec2",
        "describe-key-pairs",
        "--filters",
        "Name=tag:team,Values=blue",
        "Name=key-type,Values=ed25519",
        "--query",
        "KeyPairs[].KeyName",
        "--output",
        "text",
      ),
      cli("ec2", "create-key-pair", "--generate-cli-skeleton"),
    ]);
    expect(byJson.stdout).toBe("from-shorthand\n");
    expect(JSON.parse(byFile.stdout)).toEqual(["from-input-json", "from-shorthand"]);
    expect(byShorthand.stdout).toBe("from-input-json\n");
    expect(JSON.parse(skeleton.stdout)).toMatchObject({ KeyName: "", DryRun: true, TagSpecifications: [{ Tags: [{ Key: "", Value: "" }] }] });
  });
});
