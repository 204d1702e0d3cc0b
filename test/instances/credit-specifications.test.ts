// Burstable instances' credit option through the SDK and the AWS CLI: RunInstances' CreditSpecification and the
// family defaults, DescribeInstanceCreditSpecifications, ModifyInstanceCreditSpecification with its per-instance
// errors, the account's default per family, a Dedicated Host's standard-only T3, launch templates, another account.
import {
  AllocateHostsCommand,
  CreateLaunchTemplateCommand,
  DescribeInstanceCreditSpecificationsCommand,
  type EC2Client,
  GetDefaultCreditSpecificationCommand,
  GetLaunchTemplateDataCommand,
  ModifyDefaultCreditSpecificationCommand,
  ModifyInstanceCreditSpecificationCommand,
  RunInstancesCommand,
  type RunInstancesRequest,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { createAccount } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const { server } = shared;

async function launch(ec2: EC2Client, instanceType: string, extra: Partial<RunInstancesRequest> = {}): Promise<string[]> {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: shared.images.al2Ena,
      InstanceType: instanceType as RunInstancesRequest["InstanceType"],
      MinCount: 1,
      MaxCount: 1,
      ...extra,
    }),
  );
  return Instances!.map((instance) => instance.InstanceId!);
}

async function modeOf(ec2: EC2Client, instanceId: string): Promise<string | undefined> {
  const { InstanceCreditSpecifications } = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [instanceId] }));
  return InstanceCreditSpecifications![0]?.CpuCredits;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error) => error,
  );

describe("RunInstances' CreditSpecification", () => {
  it("defaults to each family's mode: T2 standard, T3, T3a and T4g unlimited", async () => {
    const ec2 = server.ec2();
    const [t2] = await launch(ec2, "t2.micro");
    const [t3] = await launch(ec2, "t3.micro");
    const [t3a] = await launch(ec2, "t3a.micro");
    const [t4g] = await launch(ec2, "t4g.micro", { ImageId: shared.images.al2023Arm });
    expect(await modeOf(ec2, t2!)).toBe("standard");
    expect(await modeOf(ec2, t3!)).toBe("unlimited");
    expect(await modeOf(ec2, t3a!)).toBe("unlimited");
    expect(await modeOf(ec2, t4g!)).toBe("unlimited");
  });

  it("keeps the mode asked for", async () => {
    const ec2 = server.ec2();
    const [t2] = await launch(ec2, "t2.micro", { CreditSpecification: { CpuCredits: "unlimited" } });
    const [t3] = await launch(ec2, "t3.micro", { CreditSpecification: { CpuCredits: "standard" } });
    expect(await modeOf(ec2, t2!)).toBe("unlimited");
    expect(await modeOf(ec2, t3!)).toBe("standard");
  });

  it("refuses it on a type without credits, and a value other than standard or unlimited", async () => {
    const ec2 = server.ec2();
    const m5 = await failure(launch(ec2, "m5.large", { CreditSpecification: { CpuCredits: "standard" } }));
    expect(m5.name).toBe("InstanceCreditSpecification.NotSupported");
    expect(m5.message).toContain("The m5.large instance type does not support T2 Unlimited.");
    const bad = await failure(launch(ec2, "t3.micro", { CreditSpecification: { CpuCredits: "boundless" } }));
    expect(bad.name).toBe("InvalidParameterValue");
    expect(bad.message).toContain("boundless");
  });

  it("runs a T3 on a Dedicated Host as standard, and refuses unlimited there at launch and by modification", async () => {
    const ec2 = server.ec2();
    const { HostIds } = await ec2.send(new AllocateHostsCommand({ AvailabilityZone: "us-east-1a", Quantity: 1, InstanceType: "t3.micro" }));
    const placement = { Placement: { HostId: HostIds![0]!, Tenancy: "host" as const } };
    const [onHost] = await launch(ec2, "t3.micro", placement);
    expect(await modeOf(ec2, onHost!)).toBe("standard");
    const refused = await failure(launch(ec2, "t3.micro", { ...placement, CreditSpecification: { CpuCredits: "unlimited" } }));
    expect(refused.name).toBe("InstanceCreditSpecification.NotSupported");
    expect(refused.message).toContain("Dedicated Host");
    const modified = await ec2.send(
      new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: onHost!, CpuCredits: "unlimited" }] }),
    );
    expect(modified.UnsuccessfulInstanceCreditSpecifications).toEqual([
      { InstanceId: onHost, Error: { Code: "InstanceCreditSpecification.NotSupported", Message: expect.stringContaining("standard") } },
    ]);
  });
});

describe("DescribeInstanceCreditSpecifications", () => {
  it("answers a named instance without credits as standard, and EC2's errors for unknown and malformed ids", async () => {
    const ec2 = server.ec2();
    const [m5] = await launch(ec2, "m5.large");
    expect(await modeOf(ec2, m5!)).toBe("standard");
    expect((await failure(modeOf(ec2, "i-0123456789abcdef0"))).name).toBe("InvalidInstanceID.NotFound");
    expect((await failure(modeOf(ec2, "instance-1"))).name).toBe("InvalidInstanceID.Malformed");
    const both = await failure(ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [m5!], MaxResults: 5 })));
    expect(both.name).toBe("InvalidParameterCombination");
    expect((await failure(ec2.send(new DescribeInstanceCreditSpecificationsCommand({ MaxResults: 4 })))).name).toBe("InvalidParameterValue");
  });

  it("without ids lists the unlimited instances only, by page, and filters by instance-id", async () => {
    // An account of its own, so the listing is exactly this test's instances.
    const ec2 = server.ec2({ credentials: await createAccount(server, "444455556666") });
    const unlimited = (await launch(ec2, "t3.nano", { MinCount: 6, MaxCount: 6 })).sort();
    await launch(ec2, "t2.nano");
    await launch(ec2, "m5.large");
    const first = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ MaxResults: 5 }));
    expect(first.InstanceCreditSpecifications!.map((s) => s.InstanceId)).toEqual(unlimited.slice(0, 5));
    const second = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ MaxResults: 5, NextToken: first.NextToken! }));
    expect(second.InstanceCreditSpecifications).toEqual([{ InstanceId: unlimited[5], CpuCredits: "unlimited" }]);
    expect(second.NextToken).toBeUndefined();
    const filtered = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ Filters: [{ Name: "instance-id", Values: [unlimited[2]!] }] }));
    expect(filtered.InstanceCreditSpecifications).toEqual([{ InstanceId: unlimited[2], CpuCredits: "unlimited" }]);
    const unknownFilter = await failure(ec2.send(new DescribeInstanceCreditSpecificationsCommand({ Filters: [{ Name: "cpu-credits", Values: ["x"] }] })));
    expect(unknownFilter.name).toBe("InvalidParameterValue");
  });
});

describe("ModifyInstanceCreditSpecification", () => {
  it("changes each instance it can and reports the others with EC2's codes, another account's instance as not found", async () => {
    const ec2 = server.ec2();
    const [t3] = await launch(ec2, "t3.small");
    const [m5] = await launch(ec2, "m5.large");
    const [gone] = await launch(ec2, "t3.small");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [gone!] }));
    const stranger = server.ec2({ credentials: await createAccount(server, "555566667777") });
    const [theirs] = await launch(stranger, "t3.small");
    const { SuccessfulInstanceCreditSpecifications, UnsuccessfulInstanceCreditSpecifications } = await ec2.send(
      new ModifyInstanceCreditSpecificationCommand({
        InstanceCreditSpecifications: [
          { InstanceId: t3!, CpuCredits: "standard" },
          { InstanceId: m5!, CpuCredits: "unlimited" },
          { InstanceId: gone!, CpuCredits: "standard" },
          { InstanceId: theirs!, CpuCredits: "standard" },
          { InstanceId: "i-nothex", CpuCredits: "standard" },
        ],
      }),
    );
    expect(SuccessfulInstanceCreditSpecifications).toEqual([{ InstanceId: t3 }]);
    expect(UnsuccessfulInstanceCreditSpecifications!.map((u) => [u.InstanceId, u.Error!.Code])).toEqual([
      [m5, "InstanceCreditSpecification.NotSupported"],
      [gone, "IncorrectInstanceState"],
      [theirs, "InvalidInstanceID.NotFound"],
      ["i-nothex", "InvalidInstanceID.Malformed"],
    ]);
    expect(await modeOf(ec2, t3!)).toBe("standard");
    // The stranger's instance kept its own mode, and its owner still sees it.
    expect(await modeOf(stranger, theirs!)).toBe("unlimited");
    const bad = await failure(
      ec2.send(new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: t3!, CpuCredits: "burst" }] })),
    );
    expect(bad.name).toBe("InvalidParameterValue");
  });
});

describe("the credit history", () => {
  it("keeps the launch, each stop and start and each mode change, with the type at each start, for the credit model", async () => {
    const ec2 = server.ec2();
    const [t2] = await launch(ec2, "t2.micro");
    await ec2.send(new StopInstancesCommand({ InstanceIds: [t2!] }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [t2!] }));
    await ec2.send(new ModifyInstanceCreditSpecificationCommand({ InstanceCreditSpecifications: [{ InstanceId: t2!, CpuCredits: "unlimited" }] }));
    const row = server.store.sql.get<{ options: string }>('SELECT "options" FROM "Instance" WHERE "instanceId" = ?', t2);
    const { credits } = JSON.parse(row!.options) as { credits: { mode: string; events: Array<Record<string, unknown>> } };
    expect(credits.mode).toBe("unlimited");
    expect(credits.events.every((event) => typeof event.at === "number")).toBe(true);
    expect(credits.events.map(({ at: _at, ...event }) => event)).toEqual([
      { kind: "launch", mode: "standard", instanceType: "t2.micro" },
      { kind: "stop" },
      { kind: "start", instanceType: "t2.micro" },
      { kind: "mode", mode: "unlimited" },
    ]);
  });
});

describe("the account's default credit option", () => {
  it("is each family's own until changed; a change applies to later launches of this account only", async () => {
    const ec2 = server.ec2({ credentials: await createAccount(server, "666677778888") });
    const get = async (client: EC2Client, family: "t2" | "t3" | "t3a" | "t4g") =>
      (await client.send(new GetDefaultCreditSpecificationCommand({ InstanceFamily: family }))).InstanceFamilyCreditSpecification;
    expect(await get(ec2, "t2")).toEqual({ InstanceFamily: "t2", CpuCredits: "standard" });
    expect(await get(ec2, "t4g")).toEqual({ InstanceFamily: "t4g", CpuCredits: "unlimited" });
    const [before] = await launch(ec2, "t3.micro");
    const changed = await ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t3", CpuCredits: "standard" }));
    expect(changed.InstanceFamilyCreditSpecification).toEqual({ InstanceFamily: "t3", CpuCredits: "standard" });
    expect(await get(ec2, "t3")).toEqual({ InstanceFamily: "t3", CpuCredits: "standard" });
    const [after] = await launch(ec2, "t3.micro");
    expect(await modeOf(ec2, before!)).toBe("unlimited");
    expect(await modeOf(ec2, after!)).toBe("standard");
    // Other families, other regions and other accounts keep theirs.
    expect(await get(ec2, "t3a")).toEqual({ InstanceFamily: "t3a", CpuCredits: "unlimited" });
    expect(await get(server.ec2(), "t3")).toEqual({ InstanceFamily: "t3", CpuCredits: "unlimited" });
    const bad = await failure(ec2.send(new ModifyDefaultCreditSpecificationCommand({ InstanceFamily: "t3", CpuCredits: "Unlimited" })));
    expect(bad.name).toBe("InvalidParameterValue");
  });
});

describe("launch templates", () => {
  it("keep CreditSpecification, launch with it, and GetLaunchTemplateData shows an instance's", async () => {
    const ec2 = server.ec2();
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "credits-standard",
        LaunchTemplateData: { ImageId: shared.images.al2Ena, InstanceType: "t3.micro", CreditSpecification: { CpuCredits: "standard" } },
      }),
    );
    const [fromTemplate] = await launch(ec2, "t3.micro", { LaunchTemplate: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId! } });
    expect(await modeOf(ec2, fromTemplate!)).toBe("standard");
    const { LaunchTemplateData } = await ec2.send(new GetLaunchTemplateDataCommand({ InstanceId: fromTemplate! }));
    expect(LaunchTemplateData!.CreditSpecification).toEqual({ CpuCredits: "standard" });
    const bad = await failure(
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "credits-bad", LaunchTemplateData: { CreditSpecification: { CpuCredits: "always" } } })),
    );
    expect(bad.name).toBe("InvalidParameterValue");
  });
});

describe("the AWS CLI", () => {
  it("describe-instance-credit-specifications, modify-instance-credit-specification and get-default-credit-specification", async () => {
    const [t3] = await launch(server.ec2(), "t3.medium");
    const described = await aws(server.url, ["ec2", "describe-instance-credit-specifications", "--instance-ids", t3!]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.json.InstanceCreditSpecifications).toEqual([{ InstanceId: t3, CpuCredits: "unlimited" }]);
    const modified = await aws(server.url, [
      "ec2",
      "modify-instance-credit-specification",
      "--instance-credit-specification",
      `InstanceId=${t3},CpuCredits=standard`,
    ]);
    expect(modified.code, modified.stderr).toBe(0);
    expect(modified.json.SuccessfulInstanceCreditSpecifications).toEqual([{ InstanceId: t3 }]);
    expect(await modeOf(server.ec2(), t3!)).toBe("standard");
    const defaults = await aws(server.url, ["ec2", "get-default-credit-specification", "--instance-family", "t2"]);
    expect(defaults.code, defaults.stderr).toBe(0);
    expect(defaults.json.InstanceFamilyCreditSpecification).toEqual({ InstanceFamily: "t2", CpuCredits: "standard" });
  });
});
