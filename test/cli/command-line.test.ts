// From words to the operation's input, in process: the AWS CLI's customisations and precedence rules.
import { describe, expect, it } from "vitest";
import { extractGlobalOptions, parseCommandLine } from "../../src/cli/argv.js";
import { findCommand } from "../../src/cli/commands.js";
import { ec2CliModel, extensionCliModel } from "../../src/cli/model.js";
import { run } from "../../src/cli/main.js";
import { buildInput } from "../../src/cli/params.js";

const input = (name: string, ...words: string[]) => {
  const command = findCommand(ec2CliModel(), name)!;
  return buildInput(command, parseCommandLine(command, words));
};

describe("the command line", () => {
  it("names commands and flags with botocore's xform_name", () => {
    const command = findCommand(ec2CliModel(), "describe-instance-types")!;
    expect(command.operation.name).toBe("DescribeInstanceTypes");
    expect([...command.arguments.keys()]).toEqual(expect.arrayContaining(["dry-run", "instance-types", "filters", "starting-token", "page-size", "max-items"]));
    expect(findCommand(ec2CliModel(), "modify-instance-attribute")!.arguments.has("ena-support")).toBe(true);
    expect(findCommand(extensionCliModel(), "describe-guest")!.arguments.has("image-id")).toBe(true);
  });

  it("turns run-instances --count N or MIN:MAX into MinCount and MaxCount, 1 by default", () => {
    expect(input("run-instances", "--image-id", "ami-1", "--count", "2:4").input).toMatchObject({ ImageId: "ami-1", MinCount: 2, MaxCount: 4 });
    expect(input("run-instances", "--count", "3").input).toMatchObject({ MinCount: 3, MaxCount: 3 });
    expect(input("run-instances").input).toMatchObject({ MinCount: 1, MaxCount: 1 });
  });

  it("types nested shorthand from the model: placement, block devices, tags", () => {
    const { input: run } = input(
      "run-instances",
      "--placement",
      "AvailabilityZone=us-east-1a,Tenancy=host",
      "--block-device-mappings",
      "DeviceName=/dev/sda1,Ebs={VolumeSize=20,DeleteOnTermination=false}",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=web}]",
      "--no-dry-run",
      "--ebs-optimized",
    );
    expect(run).toMatchObject({
      Placement: { AvailabilityZone: "us-east-1a", Tenancy: "host" },
      BlockDeviceMappings: [{ DeviceName: "/dev/sda1", Ebs: { VolumeSize: 20, DeleteOnTermination: false } }],
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
      DryRun: false,
      EbsOptimized: true,
    });
  });

  it("takes --ena-support / --no-ena-support for an AttributeBooleanValue, and lets flags override --cli-input-json", () => {
    expect(input("modify-instance-attribute", "--instance-id", "i-1", "--ena-support").input).toEqual({ InstanceId: "i-1", EnaSupport: { Value: true } });
    expect(input("modify-instance-attribute", "--no-ena-support", "--instance-id", "i-1").input).toEqual({ InstanceId: "i-1", EnaSupport: { Value: false } });
    expect(input("modify-instance-attribute", "--instance-id", "i-1", "--ena-support", '{"Value": false}').input).toMatchObject({
      EnaSupport: { Value: false },
    });
    expect(input("modify-instance-attribute", "--instance-id", "i-1", "--kernel", "aki-1").input).toMatchObject({ Kernel: { Value: "aki-1" } });
    const merged = input("describe-images", "--cli-input-json", '{"Owners":["amazon"],"ExecutableUsers":["self"]}', "--owners", "self").input;
    expect(merged).toEqual({ Owners: ["self"], ExecutableUsers: ["self"] });
  });

  it("separates paging flags from the input, and finds global options anywhere", () => {
    expect(input("describe-images", "--max-items", "5", "--page-size", "10", "--starting-token", "abc")).toEqual({
      input: {},
      paging: { maxItems: 5, pageSize: 10, startingToken: "abc" },
    });
    const { globals, rest } = extractGlobalOptions([
      "ec2",
      "--region",
      "eu-west-1",
      "describe-images",
      "--output=table",
      "--owners",
      "amazon",
      "--no-paginate",
    ]);
    expect(globals).toMatchObject({ region: "eu-west-1", output: "table", paginate: false });
    expect(rest).toEqual(["ec2", "describe-images", "--owners", "amazon"]);
  });
});

describe("usage errors exit 252 and name what is wrong", () => {
  it.each([
    [["ec2", "describe-imagez"], "argument operation: Invalid choice, valid choices are:"],
    [["ec2", "describe-images", "--foo", "1"], "Unknown options: --foo, 1"],
    [["ec2", "describe-images", "--image-ids"], "argument --image-ids: expected at least one argument"],
    [["ec2", "create-key-pair"], "the following arguments are required: --key-name"],
    [["ec2", "describe-images", "--max-items", "x"], "Error parsing parameter '--max-items': invalid int value: 'x'"],
    [["ec2", "describe-images", "--filters", "Name=a,,Values"], "Error parsing parameter '--filters': Expected: '=', received: 'EOF' for input:"],
    [["ec2", "describe-images", "--filters", '{"Name":'], "Error parsing parameter '--filters': Invalid JSON:"],
    [["ec2", "run-instances", "--image-id", "ami-1", "--count", "a:b"], "count parameter should be of form min[:max] (e.g. 1 or 1:10)"],
    [["ec2", "describe-images", "--output", "yml"], "argument --output: Invalid choice"],
    [["ec2", "describe-images", "--no-paginate", "--max-items", "2"], "Cannot specify --no-paginate along with pagination arguments: --max-items"],
  ])("%j", async (args, message) => {
    let stdout = "";
    let stderr = "";
    const code = await run(args, { out: (text) => (stdout += text) }, (text) => (stderr += text));
    expect(stderr).toContain(message);
    expect(stdout).toBe("");
    expect(code).toBe(252);
  });
});
