// The same command through mini-ec2 and through the AWS CLI on the machine must print the same thing: the JSON
// key for key (and, since both follow botocore's formatters, the same bytes in json, text and table).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { miniEc2 } from "../support/cli.js";
import { testServer } from "../support/server.js";

const server = testServer();

async function both(args: string[]) {
  const [mine, theirs] = await Promise.all([miniEc2(server.url, args), aws(server.url, args)]);
  expect(mine.stderr).toBe("");
  expect(theirs.code, theirs.stderr).toBe(0);
  expect(mine.code).toBe(0);
  return { mine: mine.stdout, theirs: theirs.stdout };
}

describe("mini-ec2 and the AWS CLI", () => {
  it("print the same describe-images JSON for the Amazon catalog", async () => {
    const { mine, theirs } = await both(["ec2", "describe-images", "--owners", "amazon", "--output", "json"]);
    expect(JSON.parse(mine).Images.length).toBeGreaterThan(5);
    expect(JSON.parse(mine)).toEqual(JSON.parse(theirs));
    expect(mine).toBe(theirs);
  });

  it("print the same describe-instance-types JSON, including results merged from several pages", async () => {
    const some = await both(["ec2", "describe-instance-types", "--instance-types", "m5.large", "t1.micro", "p3.2xlarge", "m5.metal", "--output", "json"]);
    expect(JSON.parse(some.mine).InstanceTypes).toHaveLength(4);
    expect(JSON.parse(some.mine)).toEqual(JSON.parse(some.theirs));
    expect(some.mine).toBe(some.theirs);

    // The previous generation: more than one page of 100, so both clients follow NextToken and merge.
    const all = await both(["ec2", "describe-instance-types", "--filters", "Name=current-generation,Values=false", "--output", "json"]);
    expect(JSON.parse(all.mine).InstanceTypes.length).toBeGreaterThan(100);
    expect(JSON.parse(all.mine)).toEqual(JSON.parse(all.theirs));
  });

  it("resume with each other's pagination tokens", async () => {
    const first = await both(["ec2", "describe-images", "--owners", "amazon", "--max-items", "2", "--output", "json"]);
    const token = JSON.parse(first.theirs).NextToken as string;
    expect(JSON.parse(first.mine).NextToken).toBe(token);
    const next = await both(["ec2", "describe-images", "--owners", "amazon", "--max-items", "3", "--starting-token", token, "--output", "json"]);
    expect(JSON.parse(next.mine).Images).toHaveLength(3);
    expect(next.mine).toBe(next.theirs);
  });

  it("print the same text and table output, and the same --query result", async () => {
    for (const args of [
      ["ec2", "describe-instance-types", "--instance-types", "m5.large", "p3.2xlarge", "--output", "text"],
      ["ec2", "describe-instance-types", "--instance-types", "m5.large", "--output", "table"],
      ["ec2", "describe-images", "--owners", "amazon", "--filters", "Name=virtualization-type,Values=paravirtual", "--output", "table"],
      ["ec2", "describe-instance-types", "--filters", "Name=instance-type,Values=c5.*", "--query", "sort(InstanceTypes[].InstanceType)", "--output", "text"],
    ]) {
      const { mine, theirs } = await both(args);
      expect(mine, args.join(" ")).toBe(theirs);
    }
  });

  it("print the same answer from mini-ec2's own operations (aws with the extension model added)", async () => {
    const image = JSON.parse(
      (
        await miniEc2(server.url, [
          "ec2",
          "describe-images",
          "--owners",
          "amazon",
          "--filters",
          "Name=virtualization-type,Values=paravirtual",
          "Name=image-type,Values=machine",
          "--max-items",
          "1",
        ])
      ).stdout,
    ).Images[0].ImageId;
    const { mine, theirs } = await both(["mini-ec2", "describe-guest", "--image-id", image, "--output", "json"]);
    expect(JSON.parse(mine)).toMatchObject({ ResourceId: image, Guest: { Bootloader: "pv-grub" } });
    expect(mine).toBe(theirs);
  });

  it("launch instances with the same answer, and describe them byte for byte", async () => {
    // The AWS CLI v1 prints timestamps as the wire's string unless told iso8601, which is what v2 (and mini-ec2) print.
    const config = join(server.dir, "aws-iso8601-config");
    writeFileSync(config, "[default]\ncli_timestamp_format = iso8601\n");
    const image = JSON.parse(
      (
        await miniEc2(server.url, [
          "ec2",
          "describe-images",
          "--owners",
          "amazon",
          "--filters",
          "Name=name,Values=amzn2-ami-hvm*",
          "Name=architecture,Values=x86_64",
          "--max-items",
          "1",
        ])
      ).stdout,
    ).Images[0].ImageId;
    const launch = [
      "ec2",
      "run-instances",
      "--image-id",
      image,
      "--instance-type",
      "t3.micro",
      "--count",
      "2",
      "--placement",
      "AvailabilityZone=us-east-1b",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=web}]",
      "--output",
      "json",
    ];
    const mine = await miniEc2(server.url, launch);
    const theirs = await aws(server.url, launch, { AWS_CONFIG_FILE: config });
    expect(mine.code, mine.stderr).toBe(0);
    expect(theirs.code, theirs.stderr).toBe(0);
    const [myReservation, theirReservation] = [JSON.parse(mine.stdout), JSON.parse(theirs.stdout)];
    // Two launches differ in ids, addresses and times, not in shape: the same keys at every level, the same choices.
    expect(keyPaths(myReservation)).toEqual(keyPaths(theirReservation));
    for (const reservation of [myReservation, theirReservation]) {
      expect(reservation.Instances).toHaveLength(2);
      expect(reservation.Instances[0]).toMatchObject({
        ImageId: image,
        InstanceType: "t3.micro",
        Placement: { AvailabilityZone: "us-east-1b" },
        Tags: [{ Key: "Name", Value: "web" }],
      });
      expect(reservation.Instances[0].LaunchTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    }

    const describe = ["ec2", "describe-instances", "--filters", "Name=tag:Name,Values=web", "--output", "json"];
    const described = await miniEc2(server.url, describe);
    const theirDescribed = await aws(server.url, describe, { AWS_CONFIG_FILE: config });
    expect(JSON.parse(described.stdout).Reservations).toHaveLength(2);
    expect(JSON.parse(described.stdout)).toEqual(JSON.parse(theirDescribed.stdout));
    expect(described.stdout).toBe(theirDescribed.stdout);
  });

  it("fail the same way on a service error", async () => {
    const args = ["ec2", "describe-images", "--image-ids", "ami-0123456789abcdef0"];
    const [mine, theirs] = await Promise.all([miniEc2(server.url, args), aws(server.url, args)]);
    expect(mine.code).toBe(254);
    expect(theirs.code).toBe(255); // the AWS CLI v1's code for the same error; v2 uses 254
    expect(mine.stderr).toBe(theirs.stderr);
    expect(mine.stderr).toContain("An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages operation");
  });
});

// Every key path of a JSON value, list positions folded: {"A": [{"B": 1}]} -> ["A", "A[].B"].
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, `${prefix}[]`)))].sort();
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value)
    .flatMap(([key, item]) => [`${prefix}${prefix ? "." : ""}${key}`, ...keyPaths(item, `${prefix}${prefix ? "." : ""}${key}`)])
    .sort();
}
