// The same command through mini-ec2 and through the AWS CLI on the machine must print the same thing: the JSON
// key for key (and, since both follow botocore's formatters, the same bytes in json, text and table).
// Text and table output and a launch are in aws-cli-parity-output.test.ts, so the two halves run on two workers.
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { miniEc2 } from "../support/cli.js";
import { bothClis } from "../support/cli-parity.js";
import { testServer } from "../support/server.js";

const server = testServer();

const both = (args: string[]) => bothClis(server.url, args);

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

  it("fail the same way on a service error", async () => {
    const args = ["ec2", "describe-images", "--image-ids", "ami-0123456789abcdef0"];
    const [mine, theirs] = await Promise.all([miniEc2(server.url, args), aws(server.url, args)]);
    expect(mine.code).toBe(254);
    expect(theirs.code).toBe(255); // the AWS CLI v1's code for the same error; v2 uses 254
    expect(mine.stderr).toBe(theirs.stderr);
    expect(mine.stderr).toContain("An error occurred (InvalidAMIID.NotFound) when calling the DescribeImages operation");
  });
});
