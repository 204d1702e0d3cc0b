// The shorthand parser against the AWS CLI's documented examples; each expectation is what awscli's own
// ShorthandParser returns for the same string (checked against awscli 1.45 on this machine).
import { describe, expect, it } from "vitest";
import { ec2CliModel } from "../../src/cli/model.js";
import { coerceToShape, parseShorthand, ShorthandParseError } from "../../src/cli/shorthand.js";

describe("the shorthand syntax", () => {
  it.each([
    ["Name=instance-state-name,Values=running,stopped", { Name: "instance-state-name", Values: ["running", "stopped"] }],
    [
      "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=env,Value=prod}]",
      {
        ResourceType: "instance",
        Tags: [
          { Key: "Name", Value: "web" },
          { Key: "env", Value: "prod" },
        ],
      },
    ],
    ["AvailabilityZone=us-east-1a,Tenancy=host", { AvailabilityZone: "us-east-1a", Tenancy: "host" }],
    [
      "DeviceName=/dev/sda1,Ebs={VolumeSize=20,VolumeType=gp3,DeleteOnTermination=false}",
      { DeviceName: "/dev/sda1", Ebs: { VolumeSize: "20", VolumeType: "gp3", DeleteOnTermination: "false" } },
    ],
    ["Key=Name,Value='a,b'", { Key: "Name", Value: "a,b" }],
    ['Key=Name,Value="quoted \\" value"', { Key: "Name", Value: 'quoted " value' }],
    ["foo=a,b,c=d,e=f", { foo: ["a", "b"], c: "d", e: "f" }],
    ["Name=tag:Name,Values=web\\,api", { Name: "tag:Name", Values: "web,api" }],
    ["a=[x,[y,z]]", { a: ["x", ["y", "z"]] }],
    ["a=", { a: "" }],
    ["Key= spaced value ,Value=x", { Key: "spaced value", Value: "x" }],
  ])("parses %s", (input, expected) => {
    expect(parseShorthand(input)).toEqual(expected);
  });

  it("rejects a repeated key, pointing at it", () => {
    expect(() => parseShorthand("a=b,a=c")).toThrow(
      new ShorthandParseError(
        'Second instance of key "a" encountered for input:\na=b,a=c\n    ^\nThis is often because there is a preceding "," instead of a space.',
      ),
    );
  });

  it("says what it expected and where", () => {
    expect(() => parseShorthand("a==b")).toThrow("Expected: ',', received: '=' for input:\na==b\n  ^");
    expect(() => parseShorthand("Name=a,,Values")).toThrow("Expected: '=', received: 'EOF' for input:");
  });

  it("gives values the model's types: a lone filter value becomes a list, numbers and booleans are typed", () => {
    const model = ec2CliModel();
    expect(coerceToShape(model, model.shapes.Filter!, parseShorthand("Name=state,Values=running"))).toEqual({ Name: "state", Values: ["running"] });
    const mapping = coerceToShape(
      model,
      model.shapes.BlockDeviceMapping!,
      parseShorthand("DeviceName=/dev/sda1,Ebs={VolumeSize=20,DeleteOnTermination=false}"),
    );
    expect(mapping).toEqual({ DeviceName: "/dev/sda1", Ebs: { VolumeSize: 20, DeleteOnTermination: false } });
  });
});
