// The same command through mini-ec2 and through the AWS CLI (continued from aws-cli-parity.test.ts, split so the two
// files run on two workers): text and table output, and a launch described byte for byte.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { miniEc2 } from "../support/cli.js";
import { bothClis } from "../support/cli-parity.js";
import { testServer } from "../support/server.js";

const server = testServer();

const both = (args: string[]) => bothClis(server.url, args);

describe("mini-ec2 and the AWS CLI", () => {
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
});

// Every key path of a JSON value, list positions folded: {"A": [{"B": 1}]} -> ["A", "A[].B"].
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => keyPaths(item, `${prefix}[]`)))].sort();
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value)
    .flatMap(([key, item]) => [`${prefix}${prefix ? "." : ""}${key}`, ...keyPaths(item, `${prefix}${prefix ? "." : ""}${key}`)])
    .sort();
}
