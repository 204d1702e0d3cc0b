// The EC2 Query protocol as real clients see it: the SDK round trip, and every protocol error path, by raw HTTP.
import { CreateKeyPairCommand, CreateVpcCommand, DescribeAvailabilityZonesCommand, DescribeRegionsCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { ec2Params, rawRequest } from "../support/signed-request.js";
import { testServer } from "../support/server.js";

const server = testServer({ MINI_EC2_MAX_BODY_BYTES: "65536" });

describe("the SDK round trip", () => {
  it("lists every configured region with EC2's endpoint host, and filters by name with wildcards", async () => {
    const ec2 = server.ec2();
    const all = await ec2.send(new DescribeRegionsCommand({}));
    expect(all.Regions).toHaveLength(server.topology.regions.length);
    expect(all.Regions).toContainEqual({ RegionName: "eu-west-1", Endpoint: "ec2.eu-west-1.amazonaws.com", OptInStatus: "opt-in-not-required" });

    const us = await ec2.send(new DescribeRegionsCommand({ Filters: [{ Name: "region-name", Values: ["us-*-1", "sa-east-?"] }] }));
    expect(us.Regions!.map((r) => r.RegionName).sort()).toEqual(["sa-east-1", "us-east-1", "us-west-1"]);

    const named = await ec2.send(new DescribeRegionsCommand({ RegionNames: ["ap-northeast-1", "us-east-2"] }));
    expect(named.Regions!.map((r) => r.RegionName).sort()).toEqual(["ap-northeast-1", "us-east-2"]);
  });

  it("names an unknown region as EC2 does", async () => {
    await expect(server.ec2().send(new DescribeRegionsCommand({ RegionNames: ["us-east-1", "xx-nowhere-1"] }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Invalid region: [xx-nowhere-1]",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("lists the zones of the region the request was signed for, with zone ids", async () => {
    const zones = await server.ec2({ region: "us-west-1" }).send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(server.topology.region("us-west-1")!.zones.map((z) => z.zoneName));
    expect(zones.AvailabilityZones![0]).toMatchObject({ State: "available", RegionName: "us-west-1", ZoneType: "availability-zone", GroupName: "us-west-1" });
    expect(zones.AvailabilityZones![0]!.ZoneId).toMatch(/^usw1-az\d$/);

    const byId = await server.ec2().send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "zone-name", Values: ["us-east-1c"] }] }));
    expect(byId.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(["us-east-1c"]);

    await expect(server.ec2().send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-west-2a"] }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "Invalid availability zone: [us-west-2a]",
    });
  });

  it("carries text past ASCII as UTF-8: Latin-1 letters, symbols and emoji come back as they went", async () => {
    // An all-ASCII answer is encoded as Latin-1 (the same bytes); one value past ASCII must switch the whole answer to UTF-8.
    const ec2 = server.ec2();
    const value = "café ÿ ✓ 日本 😀";
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({ CidrBlock: "10.9.0.0/16", TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "naïve", Value: value }] }] }),
    );
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    expect(Vpcs![0]!.Tags).toEqual([{ Key: "naïve", Value: value }]);
  });

  it("rejects an unknown filter name, listing the valid ones", async () => {
    await expect(server.ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: "colour", Values: ["red"] }] }))).rejects.toMatchObject({
      name: "InvalidParameterValue",
      message: "The filter 'colour' is invalid",
    });
  });

  it("answers DryRun with DryRunOperation (HTTP 412) after validation, and changes nothing", async () => {
    const ec2 = server.ec2();
    await expect(ec2.send(new CreateKeyPairCommand({ KeyName: "dry", DryRun: true }))).rejects.toMatchObject({
      name: "DryRunOperation",
      message: "Request would have succeeded, but DryRun flag is set.",
      $metadata: { httpStatusCode: 412 },
    });
    // Validation comes first: a bad tag resource type is reported even in a dry run.
    await expect(
      ec2.send(new CreateKeyPairCommand({ KeyName: "dry", DryRun: true, TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }] })),
    ).rejects.toMatchObject({ name: "InvalidParameterValue" });
    const created = await ec2.send(new CreateKeyPairCommand({ KeyName: "dry" }));
    expect(created.KeyName).toBe("dry");
  });
});

describe("protocol errors, by raw HTTP", () => {
  const call = (request: Parameters<typeof rawRequest>[1]) => rawRequest(server.url, request);

  it("renders success as <ActionResponse> in EC2's namespace with a requestId", async () => {
    const response = await call({ params: ec2Params("DescribeRegions", { "RegionName.1": "us-east-1" }) });
    expect(response.status).toBe(200);
    expect(response.text).toContain('<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">');
    expect(response.xml.DescribeRegionsResponse.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.xml.DescribeRegionsResponse.regionInfo.item).toEqual({
      regionName: "us-east-1",
      regionEndpoint: "ec2.us-east-1.amazonaws.com",
      optInStatus: "opt-in-not-required",
    });
  });

  it("serves GET /?Action=… too", async () => {
    const response = await call({ method: "GET", params: ec2Params("DescribeAvailabilityZones", { "ZoneName.1": "us-east-1a" }) });
    expect(response.status).toBe(200);
    expect(response.xml.DescribeAvailabilityZonesResponse.availabilityZoneInfo.item.zoneName).toBe("us-east-1a");
  });

  it("renders errors in EC2's envelope, with RequestID", async () => {
    const response = await call({ params: ec2Params("DescribeUnicorns") });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>The action DescribeUnicorns is not valid for this web service\.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    );
  });

  it.each([
    ["no Action", { Version: "2016-11-15" }, 400, "MissingParameter", "The request must contain the parameter Action"],
    ["no Version", { Action: "DescribeRegions" }, 400, "MissingParameter", "The request must contain the parameter Version"],
    [
      "an unknown Version",
      { Action: "DescribeRegions", Version: "2099-01-01" },
      400,
      "NoSuchVersion",
      "The requested version (2099-01-01) of service AmazonEC2 does not exist",
    ],
    ["an unknown parameter", ec2Params("DescribeRegions", { Colour: "red" }), 400, "UnknownParameter", "The parameter Colour is not recognized"],
    ["a missing required parameter", ec2Params("CreateKeyPair"), 400, "MissingParameter", "The request must contain the parameter KeyName"],
    [
      "a malformed boolean",
      ec2Params("DescribeRegions", { AllRegions: "maybe" }),
      400,
      "InvalidParameterValue",
      "Invalid value 'maybe' for AllRegions. It must be true or false.",
    ],
    [
      "a known operation mini-ec2 does not implement",
      ec2Params("CreateNatGateway", { SubnetId: "subnet-0123456789abcdef0" }),
      400,
      "Unsupported",
      /^The operation CreateNatGateway is part of the EC2 API, but mini-ec2 does not implement it yet/,
    ],
  ])("answers %s with %s", async (_case, params, status, code, message) => {
    const response = await call({ params });
    expect(response.status).toBe(status);
    expect(response.code).toBe(code);
    if (typeof message === "string") expect(response.message).toBe(message);
    else expect(response.message).toMatch(message);
  });

  it("refuses a body over the size limit with 413 and EC2's envelope", async () => {
    const response = await call({ params: ec2Params("DescribeRegions", { Padding: "x".repeat(70_000) }), sign: false });
    expect(response.status).toBe(413);
    expect(response.code).toBe("RequestEntityTooLarge");
  });

  it("refuses a body that is not form-encoded", async () => {
    const response = await call({ body: '{"Action":"DescribeRegions"}', contentType: "application/json" });
    expect(response.status).toBe(400);
    expect(response.code).toBe("InvalidHttpRequest");
  });

  it("answers other paths with 404 in EC2's envelope", async () => {
    const response = await call({ params: ec2Params("DescribeRegions"), path: "/bucket/key", sign: false });
    expect(response.status).toBe(404);
    expect(response.message).toBe("mini-ec2 answers the EC2 Query API at path '/', not '/bucket/key'.");
  });

  it.each([
    ["Action=constructor", ec2Params("constructor"), "InvalidAction"],
    ["Action=__proto__", ec2Params("__proto__"), "InvalidAction"],
    ["a filter named __proto__", ec2Params("DescribeRegions", { "Filter.1.Name": "__proto__", "Filter.1.Value.1": "x" }), "InvalidParameterValue"],
    ["a filter named valueOf", ec2Params("DescribeInstanceTypes", { "Filter.1.Name": "valueOf", "Filter.1.Value.1": "x" }), "InvalidParameterValue"],
    [
      "a control character in a tag",
      ec2Params("CreateKeyPair", {
        KeyName: "ctl",
        "TagSpecification.1.ResourceType": "key-pair",
        "TagSpecification.1.Tag.1.Key": "k",
        "TagSpecification.1.Tag.1.Value": "\u0001",
      }),
      "InvalidParameterValue",
    ],
  ])("answers %s with a 4xx", async (_case, params, code) => {
    const response = await call({ params });
    expect([response.status, response.code]).toEqual([400, code]);
  });

  it("escapes what XML cannot carry in an echoed parameter name", async () => {
    const response = await call({ params: ec2Params("DescribeRegions", { "Bad\u0000Name": "1" }) });
    expect(response.code).toBe("UnknownParameter");
    expect(response.message).toBe("The parameter Bad\uFFFDName is not recognized");
  });

  it("answers a corrupt compressed body with 400, not 500", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
      body: "not gzip at all",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>MalformedQueryString</Code>");
  });
});
