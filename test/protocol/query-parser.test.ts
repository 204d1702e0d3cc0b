import { describe, expect, it } from "vitest";
import { Ec2Error } from "../../src/domain/errors.js";
import { parseOperationInput } from "../../src/protocol/query-parser.js";
import { ec2ServiceModel, stsServiceModel } from "../../src/protocol/service-model.js";

const model = ec2ServiceModel();
const parse = (operation: string, params: Record<string, string>) =>
  parseOperationInput(model, model.operations[operation]!.input?.shape, Object.entries(params));

function errorOf(run: () => unknown): Ec2Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Ec2Error) return error;
    throw error;
  }
  throw new Error("expected an Ec2Error");
}

describe("the Query parser", () => {
  it("reads EC2's flat 1-based lists into arrays in index order, under the model's member names", () => {
    const input = parse("DescribeInstances", {
      "InstanceId.2": "i-0000000000000000b",
      "InstanceId.1": "i-0000000000000000a",
      "Filter.1.Name": "instance-state-name",
      "Filter.1.Value.1": "running",
      "Filter.1.Value.2": "stopped",
      "Filter.2.Name": "tag:Name",
      "Filter.2.Value.1": "web",
      DryRun: "false",
    });
    expect(input).toEqual({
      InstanceIds: ["i-0000000000000000a", "i-0000000000000000b"],
      Filters: [
        { Name: "instance-state-name", Values: ["running", "stopped"] },
        { Name: "tag:Name", Values: ["web"] },
      ],
      DryRun: false,
    });
  });

  it("reads nested structures, integers and enums (RunInstances block devices, tags, placement)", () => {
    const input = parse("RunInstances", {
      ImageId: "ami-12345678",
      MinCount: "1",
      MaxCount: "2",
      InstanceType: "m5.large",
      "Placement.AvailabilityZone": "us-east-1a",
      "Placement.Tenancy": "host",
      "BlockDeviceMapping.1.DeviceName": "/dev/xvda",
      "BlockDeviceMapping.1.Ebs.VolumeSize": "8",
      "BlockDeviceMapping.1.Ebs.DeleteOnTermination": "true",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "web",
    });
    expect(input).toMatchObject({
      ImageId: "ami-12345678",
      MinCount: 1,
      MaxCount: 2,
      InstanceType: "m5.large",
      Placement: { AvailabilityZone: "us-east-1a", Tenancy: "host" },
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { VolumeSize: 8, DeleteOnTermination: true } }],
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
    });
  });

  it("rejects a parameter the operation does not have with UnknownParameter, naming it", () => {
    const error = errorOf(() => parse("DescribeRegions", { Bogus: "1" }));
    expect([error.code, error.message]).toEqual(["UnknownParameter", "The parameter Bogus is not recognized"]);
    expect(errorOf(() => parse("DescribeRegions", { "Filter.1.Colour": "x" })).message).toBe("The parameter Filter.1.Colour is not recognized");
  });

  it("names a missing required parameter, also inside a list", () => {
    expect(errorOf(() => parse("RunInstances", { MinCount: "1" })).message).toBe("The request must contain the parameter MaxCount");
    expect(errorOf(() => parse("CreateKeyPair", {})).code).toBe("MissingParameter");
    const inList = errorOf(() => parse("RunInstances", { MinCount: "1", MaxCount: "1", "ElasticInferenceAccelerator.1.Count": "1" }));
    expect(inList.message).toBe("The request must contain the parameter ElasticInferenceAccelerator.1.Type");
  });

  it("rejects malformed values with InvalidParameterValue and says what is expected", () => {
    expect(errorOf(() => parse("RunInstances", { MinCount: "one", MaxCount: "1" })).message).toBe(
      "Invalid value 'one' for MinCount. It must be a whole number.",
    );
    expect(errorOf(() => parse("DescribeRegions", { AllRegions: "yes" })).message).toBe("Invalid value 'yes' for AllRegions. It must be true or false.");
    const badEnum = errorOf(() => parse("RunInstances", { MinCount: "1", MaxCount: "1", "Placement.Tenancy": "shared" }));
    expect(badEnum.code).toBe("InvalidParameterValue");
    expect(badEnum.message).toMatch(/^Invalid value 'shared' for Placement\.Tenancy\. Valid values: default, dedicated, host/);
    expect(errorOf(() => parse("DescribeInstances", { "InstanceId.0": "i-1" })).message).toMatch(/invalid list index/);
  });

  it("reads a sparse list index cheaply and refuses values XML cannot carry", () => {
    const started = performance.now();
    const params: Record<string, string> = {};
    for (let i = 1; i <= 200; i++) {
      params[`Filter.${i}.Name`] = "x";
      params[`Filter.${i}.Value.999999`] = "v";
    }
    expect(parse("DescribeRegions", params).Filters).toHaveLength(200);
    // Not a speed assertion: a dense walk of 200 lists of a million slots would take many seconds, this far less.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(errorOf(() => parse("CreateKeyPair", { KeyName: "a\u0001b" })).message).toBe(
      "The value of KeyName contains control characters, which EC2 does not accept.",
    );
  });

  it("checks ranges the model declares, in EC2's words", () => {
    const error = errorOf(() => parse("DescribeInstanceTypes", { MaxResults: "1" }));
    expect([error.code, error.message]).toEqual([
      "InvalidParameterValue",
      "Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.",
    ]);
  });

  it("reads awsQuery (STS) requests and words range errors as STS does", () => {
    const sts = stsServiceModel();
    const input = parseOperationInput(sts, "GetSessionTokenRequest", [["DurationSeconds", "900"]]);
    expect(input).toEqual({ DurationSeconds: 900 });
    const error = errorOf(() => parseOperationInput(sts, "GetSessionTokenRequest", [["DurationSeconds", "10"]]));
    expect([error.code, error.message]).toEqual([
      "ValidationError",
      "1 validation error detected: Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ]);
  });
});
