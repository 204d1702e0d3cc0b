// DescribeInstanceTypes and DescribeInstanceTypeOfferings through the SDK, against the catalog's real facts.
import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, paginateDescribeInstanceTypes } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { testServer } from "../support/server.js";

const server = testServer();

const describeTypes = (names: string[]) => server.ec2().send(new DescribeInstanceTypesCommand({ InstanceTypes: names as never }));
const typeNames = (result: { InstanceTypes?: Array<{ InstanceType?: string }> }) => result.InstanceTypes!.map((t) => t.InstanceType);

describe("DescribeInstanceTypes", () => {
  it("reports each era's facts with EC2's names and nesting", async () => {
    const { InstanceTypes } = await describeTypes(["t1.micro", "m5.large", "m5.metal", "g4dn.xlarge", "a1.large"]);
    const byName = Object.fromEntries(InstanceTypes!.map((t) => [t.InstanceType, t]));
    expect(byName["t1.micro"]).toMatchObject({
      Hypervisor: "xen",
      SupportedVirtualizationTypes: ["hvm", "paravirtual"],
      ProcessorInfo: { SupportedArchitectures: ["i386", "x86_64"] },
      VCpuInfo: { DefaultVCpus: 1 },
      MemoryInfo: { SizeInMiB: 627 },
      NetworkInfo: { EnaSupport: "unsupported" },
      SupportedBootModes: ["legacy-bios"],
    });
    expect(byName["m5.large"]).toMatchObject({
      Hypervisor: "nitro",
      SupportedVirtualizationTypes: ["hvm"],
      NetworkInfo: { EnaSupport: "required" },
      EbsInfo: { NvmeSupport: "required" },
      SupportedBootModes: ["legacy-bios", "uefi"],
      VCpuInfo: { DefaultVCpus: 2, DefaultCores: 1, DefaultThreadsPerCore: 2 },
    });
    expect(byName["m5.metal"]!.Hypervisor).toBeUndefined();
    expect(byName["m5.metal"]!.BareMetal).toBe(true);
    expect(byName["g4dn.xlarge"]!.GpuInfo!.Gpus).toMatchObject([{ Count: 1, Manufacturer: "NVIDIA", Name: "T4" }]);
    expect(byName["a1.large"]).toMatchObject({ ProcessorInfo: { SupportedArchitectures: ["arm64"] }, SupportedBootModes: ["uefi"] });
  });

  it("filters: the PV-capable types are the Xen-era families, all of them Xen", async () => {
    const result = await server
      .ec2()
      .send(new DescribeInstanceTypesCommand({ Filters: [{ Name: "supported-virtualization-type", Values: ["paravirtual"] }], MaxResults: 100 }));
    const families = new Set(typeNames(result).map((name) => name!.split(".")[0]));
    // The User Guide: "C1, C3, HS1, M1, M3, M2, and T1" support PV AMIs.
    expect([...families].sort()).toEqual(["c1", "c3", "hs1", "m1", "m2", "m3", "t1"]);
    expect(result.InstanceTypes!.every((t) => t.Hypervisor === "xen")).toBe(true);
  });

  it("combines filters with AND and values with OR, with wildcards", async () => {
    const result = await server.ec2().send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: "instance-type", Values: ["m5.*", "c5.*"] },
          { Name: "vcpu-info.default-vcpus", Values: ["2"] },
          { Name: "bare-metal", Values: ["false"] },
        ],
      }),
    );
    expect(typeNames(result).sort()).toEqual(["c5.large", "m5.large"]);
    const gpus = await server.ec2().send(new DescribeInstanceTypesCommand({ Filters: [{ Name: "gpu-info.gpus.name", Values: ["A100"] }] }));
    expect(typeNames(gpus)).toContain("p4d.24xlarge");
  });

  it("pages 100 at a time by default, and the SDK paginator walks every type offered in the region", async () => {
    const first = await server.ec2().send(new DescribeInstanceTypesCommand({}));
    expect(first.InstanceTypes).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const seen: string[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: server.ec2(), pageSize: 100 }, {})) seen.push(...typeNames(page).map(String));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain("t1.micro"); // a PV-era type, offered in us-east-1
    expect(seen.length).toBeGreaterThan(700);

    const elsewhere: string[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client: server.ec2({ region: "eu-north-1" }), pageSize: 100 }, {}))
      elsewhere.push(...typeNames(page).map(String));
    expect(elsewhere).not.toContain("t1.micro"); // never offered in Stockholm
  });

  it("rejects unknown types with InvalidInstanceType, MaxResults out of range, and a forged token", async () => {
    await expect(describeTypes(["m5.large", "m5.superlarge"])).rejects.toMatchObject({
      name: "InvalidInstanceType",
      message: "The following supplied instance types do not exist: [m5.superlarge]",
    });
    await expect(server.ec2().send(new DescribeInstanceTypesCommand({ MaxResults: 101 }))).rejects.toMatchObject({ name: "InvalidParameterValue" });
    await expect(server.ec2().send(new DescribeInstanceTypesCommand({ NextToken: "garbage" }))).rejects.toMatchObject({ name: "InvalidPaginationToken" });
  });
});

describe("DescribeInstanceTypeOfferings", () => {
  it("lists zones that lack some types, as real regions do", async () => {
    const result = await server
      .ec2()
      .send(new DescribeInstanceTypeOfferingsCommand({ LocationType: "availability-zone", Filters: [{ Name: "instance-type", Values: ["m5.8xlarge"] }] }));
    const zones = result.InstanceTypeOfferings!.map((o) => o.Location).sort();
    expect(zones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"]);

    const byId = await server.ec2().send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: "availability-zone-id",
        Filters: [
          { Name: "location", Values: ["use1-az2"] },
          { Name: "instance-type", Values: ["t1.micro"] },
        ],
      }),
    );
    expect(byId.InstanceTypeOfferings).toEqual([{ InstanceType: "t1.micro", LocationType: "availability-zone-id", Location: "use1-az2" }]);
  });

  it("lists region offerings by default, in pages", async () => {
    const result = await server.ec2().send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }));
    expect(result.InstanceTypeOfferings).toHaveLength(5);
    expect(result.InstanceTypeOfferings![0]).toMatchObject({ LocationType: "region", Location: "us-east-1" });
    const next = await server.ec2().send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 5, NextToken: result.NextToken }));
    expect(next.InstanceTypeOfferings![0]!.InstanceType! > result.InstanceTypeOfferings![4]!.InstanceType!).toBe(true);
  });
});
