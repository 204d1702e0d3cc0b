// SSM's public AMI parameters over SSM's own protocol (awsJson1_1), signed for `ssm`, driven by SSM's model.
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { jsonRequest } from "../support/json-request.js";
import { testServer } from "../support/server.js";

const al2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

describe("SSM public parameters", () => {
  const server = testServer();
  const ssm = (operation: string, body: unknown, options?: Parameters<typeof jsonRequest>[3]) =>
    jsonRequest(server.url, `AmazonSSM.${operation}`, body, options);

  it("GetParameter names the region's newest matching Amazon image, as SSM shows a public parameter", async () => {
    const { Images } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-*-x86_64"] }] }));
    const response = await ssm("GetParameter", { Name: al2023 });
    expect(response.status).toBe(200);
    expect(response.contentType).toContain("application/x-amz-json-1.1");
    const { Parameter } = response.json;
    expect(Parameter).toMatchObject({ Name: al2023, Type: "String", DataType: "aws:ec2:image", Version: 1, ARN: `arn:aws:ssm:us-east-1::parameter${al2023}` });
    expect(Parameter.Value).toBe(Images![0]!.ImageId);
    expect(typeof Parameter.LastModifiedDate).toBe("number");

    const other = await ssm("GetParameter", { Name: al2023 }, { region: "eu-west-1" });
    expect(other.json.Parameter.ARN).toBe(`arn:aws:ssm:eu-west-1::parameter${al2023}`);
    expect(other.json.Parameter.Value).not.toBe(Parameter.Value);
  });

  it("GetParameter takes the ARN and the :1 version selector, and answers ParameterNotFound as JSON for anything else", async () => {
    expect((await ssm("GetParameter", { Name: `arn:aws:ssm:us-east-1::parameter${al2023}` })).json.Parameter.Name).toBe(al2023);
    expect((await ssm("GetParameter", { Name: `${al2023}:1` })).status).toBe(200);
    expect((await ssm("GetParameter", { Name: `${al2023}:2` })).json.__type).toBe("ParameterVersionNotFound");
    const missing = await ssm("GetParameter", { Name: "/aws/service/ami-amazon-linux-latest/nothing" });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ __type: "ParameterNotFound", message: expect.stringContaining("/aws/service/ami-amazon-linux-latest/nothing") });
  });

  it("GetParameters answers the names found in name order and the others as InvalidParameters", async () => {
    const windows = "/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-Base";
    const { json } = await ssm("GetParameters", { Names: [windows, "/no/such", al2023] });
    expect(json.Parameters.map((parameter: { Name: string }) => parameter.Name)).toEqual([al2023, windows]);
    expect(json.InvalidParameters).toEqual(["/no/such"]);
  });

  it("GetParametersByPath lists a path's children, all descendants with Recursive, page by page", async () => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const { json } = await ssm("GetParametersByPath", {
        Path: "/aws/service/ami-amazon-linux-latest",
        MaxResults: 2,
        ...(token ? { NextToken: token } : {}),
      });
      expect(json.Parameters.length).toBeLessThanOrEqual(2);
      names.push(...json.Parameters.map((parameter: { Name: string }) => parameter.Name));
      token = json.NextToken;
    } while (token);
    expect(names).toContain(al2023);
    expect(names).toContain("/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2");
    expect(names).toEqual([...names].sort());
    expect((await ssm("GetParametersByPath", { Path: "/aws/service" })).json.Parameters).toEqual([]);
    const debian = await ssm("GetParametersByPath", { Path: "/aws/service/debian", Recursive: true });
    expect(debian.json.Parameters.map((parameter: { Name: string }) => parameter.Name)).toEqual([
      "/aws/service/debian/release/12/latest/amd64",
      "/aws/service/debian/release/12/latest/arm64",
      "/aws/service/debian/release/8/latest/amd64",
      "/aws/service/debian/release/bookworm/latest/amd64",
      "/aws/service/debian/release/bookworm/latest/arm64",
      "/aws/service/debian/release/jessie/latest/amd64",
    ]);
    expect((await ssm("GetParametersByPath", { Path: "/aws/service/debian", NextToken: "bogus" })).json.__type).toBe("InvalidNextToken");
  });

  it("checks input against SSM's model: unknown members, types, required members and limits", async () => {
    expect((await ssm("GetParameter", { Name: al2023, Nmae: "x" })).json).toMatchObject({
      __type: "SerializationException",
      message: expect.stringContaining("Nmae"),
    });
    expect((await ssm("GetParametersByPath", { Path: "/aws", MaxResults: "2" })).json.__type).toBe("SerializationException");
    expect((await ssm("GetParameter", {})).json).toEqual({
      __type: "ValidationException",
      message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    });
    const tooMany = await ssm("GetParameters", { Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) });
    expect(tooMany.json.message).toContain("Member must have length less than or equal to 10");
    expect((await ssm("GetParameter", "{not json")).json.__type).toBe("SerializationException");
  });

  it("answers SSM's other operations UnsupportedOperationException naming mini-ec2, and unknown ones UnknownOperationException", async () => {
    const put = await ssm("PutParameter", { Name: "/mine", Value: "x" });
    expect(put.status).toBe(400);
    expect(put.json.__type).toBe("UnsupportedOperationException");
    expect(put.json.message).toMatch(/mini-ec2.*PutParameter/);
    expect((await ssm("NoSuchOperation", {})).json.__type).toBe("UnknownOperationException");
  });

  it("is signed for ssm with the account's keys, and says so as JSON when it is not", async () => {
    const unsigned = await ssm("GetParameter", { Name: al2023 }, { sign: false });
    expect(unsigned.status).toBe(403);
    expect(unsigned.json.__type).toBe("MissingAuthenticationToken");
    const wrongScope = await ssm("GetParameter", { Name: al2023 }, { service: "ec2" });
    expect(wrongScope.json).toMatchObject({ __type: "SignatureDoesNotMatch", message: expect.stringContaining("'ssm'") });
  });

  it("answers a body too large for the endpoint as JSON too", async () => {
    const tooLarge = await ssm("GetParameter", { Name: "x".repeat(1_100_000) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.__type).toBe("RequestEntityTooLarge");
  });

  it("answers a JSON request for a service it does not emulate (KMS) with a JSON error naming mini-ec2 and the service", async () => {
    const kms = await jsonRequest(server.url, "TrentService.ListKeys", {}, { service: "kms" });
    expect(kms.status).toBe(400);
    expect(kms.json.__type).toBe("UnknownOperationException");
    expect(kms.json.message).toMatch(/mini-ec2.*AWS KMS/);
  });
});
