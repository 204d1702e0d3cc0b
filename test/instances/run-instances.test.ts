// RunInstances and DescribeInstances through the SDK: what launches, how it is shown, and the rules that refuse.
import {
  DescribeInstancesCommand,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { amazonImageIds } from "../support/images.js";
import { startTestServer, testServer } from "../support/server.js";
import { advanceClock } from "../support/extensions.js";
import { systemClock } from "../../src/domain/clock.js";
import { instanceFilters, instanceRowFilterNames } from "../../src/domain/filters/instances.js";
import type { Instance } from "../../src/domain/instances.js";
import { InstanceNetworkRepo } from "../../src/store/instance-network-repo.js";
import { InstancesRepo } from "../../src/store/instances-repo.js";
import { NetworkRepo } from "../../src/store/network-repo.js";

const server = testServer();
let images: Awaited<ReturnType<typeof amazonImageIds>>;
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
});

describe("RunInstances", () => {
  it("launches an HVM image with ENA on a Nitro type and describes it", async () => {
    const ec2 = server.ec2();
    const reservation = await ec2.send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 2,
        MaxCount: 2,
        Placement: { AvailabilityZone: "us-east-1a" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "web" }] }],
      }),
    );
    expect(reservation.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(reservation.OwnerId).toBe("000000000000");
    expect(reservation.Instances).toHaveLength(2);
    const [first] = reservation.Instances!;
    expect(first).toMatchObject({
      ImageId: images.al2Ena,
      InstanceType: "m5.large",
      State: { Code: 0, Name: "pending" },
      Placement: { AvailabilityZone: "us-east-1a", Tenancy: "default" },
      Architecture: "x86_64",
      VirtualizationType: "hvm",
      EnaSupport: true,
      RootDeviceName: "/dev/xvda",
      RootDeviceType: "ebs",
      Tags: [{ Key: "Name", Value: "web" }],
    });
    expect(first!.BlockDeviceMappings![0]).toMatchObject({ DeviceName: "/dev/xvda", Ebs: { Status: "attached", DeleteOnTermination: true } });
    expect(first!.BlockDeviceMappings![0]!.Ebs!.VolumeId).toMatch(/^vol-/);
    expect(reservation.Instances!.map((i) => i.AmiLaunchIndex)).toEqual([0, 1]);

    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [first!.InstanceId!] }));
    expect(described.Reservations).toHaveLength(1);
    expect(described.Reservations![0]!.ReservationId).toBe(reservation.ReservationId);
    // Zero delays: the launch has already finished.
    expect(described.Reservations![0]!.Instances![0]!.State).toEqual({ Code: 16, Name: "running" });
    // EC2 always shows the CPU options: the type's defaults when the launch chose none (m5.large: 1 core, 2 threads).
    expect([first!.CpuOptions, described.Reservations![0]!.Instances![0]!.CpuOptions]).toEqual([
      { CoreCount: 1, ThreadsPerCore: 2 },
      { CoreCount: 1, ThreadsPerCore: 2 },
    ]);
  });

  it("lists a reservation's instances by launch index, not by id", async () => {
    const ec2 = server.ec2();
    const { ReservationId } = await ec2.send(new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 6, MaxCount: 6 }));
    const described = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "reservation-id", Values: [ReservationId!] }] }));
    expect(described.Reservations![0]!.Instances!.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("refuses a PV image on an HVM-only type, with EC2's message, and launches nothing", async () => {
    const ec2 = server.ec2();
    const before = await countInstances();
    const error = await ec2.send(new RunInstancesCommand({ ImageId: images.pvX86, InstanceType: "c5.large", MinCount: 1, MaxCount: 1 })).catch((e) => e);
    expect(error.name).toBe("InvalidParameterCombination");
    expect(error.message).toBe(
      "Virtualization type 'hvm' is required for instances of type 'c5.large'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html",
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await countInstances()).toBe(before);
  });

  it("launches the PV image on a PV-capable Xen type", async () => {
    const { Instances } = await server.ec2().send(new RunInstancesCommand({ ImageId: images.pvX86, InstanceType: "m3.medium", MinCount: 1, MaxCount: 1 }));
    expect(Instances![0]).toMatchObject({ VirtualizationType: "paravirtual", KernelId: expect.stringMatching(/^aki-/), RootDeviceName: "/dev/sda1" });
  });

  it("refuses a Linux HVM image on a first-generation type", async () => {
    const error = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: images.hvmNoEna, InstanceType: "m1.large", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(error.name).toBe("InvalidParameterCombination");
    expect(error.message).toBe("Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.");
  });

  it("refuses an architecture mismatch, joining the type's architectures with ','", async () => {
    const error = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: images.al2023Arm, InstanceType: "c3.large", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toContain(
      "The architecture 'x86_64,i386' of the specified instance type does not match the architecture 'arm64' of the specified AMI.",
    );
  });

  it("refuses an image without ENA on a type that requires it", async () => {
    const error = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: images.hvmNoEna, InstanceType: "c5.large", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(error.name).toBe("InvalidParameterCombination");
    expect(error.message).toBe(
      "Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'c5.large' instance type. Ensure that you are using an AMI that is enabled for ENA.",
    );
  });

  it("refuses a UEFI image on a legacy-BIOS type, and lets uefi-preferred fall back", async () => {
    const arm = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: images.al2023Arm, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(arm.name).toBe("InvalidParameterValue");
    const preferred = await server.ec2().send(new RunInstancesCommand({ ImageId: images.al2023X86, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1 }));
    expect(preferred.Instances![0]!.BootMode).toBe("legacy-bios");
    const uefi = await server.ec2().send(new RunInstancesCommand({ ImageId: images.al2023X86, InstanceType: "m5.large", MinCount: 1, MaxCount: 1 }));
    expect(uefi.Instances![0]!.BootMode).toBe("uefi");
  });

  it("refuses a type the zone does not offer, naming the zones that do", async () => {
    const error = await server
      .ec2()
      .send(
        new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "a1.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1d" } }),
      )
      .catch((e) => e);
    expect(error.name).toBe("Unsupported");
    expect(error.message).toBe(
      "Your requested instance type (a1.large) is not supported in your requested Availability Zone (us-east-1d). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c.",
    );
  });

  it("answers unknown and malformed images as EC2 does", async () => {
    const unknown = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: "ami-0123456789abcdef0", InstanceType: "t2.micro", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(unknown.name).toBe("InvalidAMIID.NotFound");
    expect(unknown.message).toBe("The image id '[ami-0123456789abcdef0]' does not exist");
    const malformed = await server
      .ec2()
      .send(new RunInstancesCommand({ ImageId: "ami-xyz", InstanceType: "t2.micro", MinCount: 1, MaxCount: 1 }))
      .catch((e) => e);
    expect(malformed.name).toBe("InvalidAMIID.Malformed");
  });

  it("answers a ramdisk that does not exist, or is malformed, as EC2 does, and launches nothing", async () => {
    const ec2 = server.ec2();
    const before = await countInstances();
    const run = (ImageId: string, InstanceType: "m3.medium" | "m5.large", RamdiskId: string) =>
      ec2.send(new RunInstancesCommand({ ImageId, InstanceType, RamdiskId, MinCount: 1, MaxCount: 1 })).catch((e) => e);
    const unknown = await run(images.pvX86, "m3.medium", "ari-0123456789abcdef0");
    expect(unknown.name).toBe("InvalidAMIID.NotFound");
    expect(unknown.message).toBe("The image id '[ari-0123456789abcdef0]' does not exist");
    // An AKI is an image, but not a ramdisk: its id is not an ARI's.
    const malformed = await run(images.pvX86, "m3.medium", "aki-5c21674b");
    expect(malformed.name).toBe("InvalidRamDiskId.Malformed");
    expect(malformed.message).toContain("in the form ari-xxxxxxxx");
    const onHvm = await run(images.al2Ena, "m5.large", "ari-0123456789abcdef0");
    expect(onHvm.name).toBe("InvalidParameterCombination");
    expect(onHvm.message).toContain("applies only to paravirtual instances");
    expect(await countInstances()).toBe(before);

    // ModifyInstanceAttribute answers the same for a stopped PV instance.
    const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: images.pvX86, InstanceType: "m3.medium", MinCount: 1, MaxCount: 1 }));
    const instanceId = Instances![0]!.InstanceId!;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    const modified = await ec2
      .send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, Ramdisk: { Value: "ari-0123456789abcdef0" } }))
      .catch((e) => e);
    expect(modified.name).toBe("InvalidAMIID.NotFound");
  });
});

async function countInstances(): Promise<number> {
  const { Reservations = [] } = await server.ec2().send(new DescribeInstancesCommand({}));
  return Reservations.flatMap((r) => r.Instances ?? []).length;
}
void TerminateInstancesCommand;

describe("spread placement groups", () => {
  it("run at most 7 instances per zone, each on a server of its own", async () => {
    const { CreatePlacementGroupCommand } = await import("@aws-sdk/client-ec2");
    await server.ec2().send(new CreatePlacementGroupCommand({ GroupName: "spread-7", Strategy: "spread" }));
    const eight = await server
      .ec2()
      .send(
        new RunInstancesCommand({
          ImageId: images.al2Ena,
          InstanceType: "m5.large",
          MinCount: 8,
          MaxCount: 8,
          Placement: { GroupName: "spread-7", AvailabilityZone: "us-east-1a" },
        }),
      )
      .catch((e) => e);
    expect(eight.name).toBe("InvalidParameterValue");
    expect(eight.message).toContain("The spread placement group 'spread-7' already has 7 running instances in us-east-1a");
    const seven = await server.ec2().send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "m5.large",
        MinCount: 1,
        MaxCount: 10,
        Placement: { GroupName: "spread-7", AvailabilityZone: "us-east-1a" },
      }),
    );
    expect(seven.Instances).toHaveLength(7);
  });
});

describe("ClientToken, tags, filters and pages", () => {
  it("answers the same reservation for the same ClientToken, launching once", async () => {
    const request = { ImageId: images.al2Ena, InstanceType: "t3.micro" as const, MinCount: 2, MaxCount: 2, ClientToken: "deploy-42" };
    const first = await server.ec2().send(new RunInstancesCommand(request));
    const again = await server.ec2().send(new RunInstancesCommand(request));
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(again.Instances!.map((i) => i.InstanceId)).toEqual(first.Instances!.map((i) => i.InstanceId));
    const { Reservations } = await server.ec2().send(new DescribeInstancesCommand({ Filters: [{ Name: "client-token", Values: ["deploy-42"] }] }));
    expect(Reservations!.flatMap((r) => r.Instances!)).toHaveLength(2);
  });

  it("filters by state, type, tag and wildcard, and pages with MaxResults and NextToken", async () => {
    const { CreateTagsCommand } = await import("@aws-sdk/client-ec2");
    const { Instances } = await server.ec2().send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "t3.nano",
        MinCount: 7,
        MaxCount: 7,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: "paging" }] }],
      }),
    );
    await server.ec2().send(new CreateTagsCommand({ Resources: [Instances![0]!.InstanceId!], Tags: [{ Key: "role", Value: "leader-1" }] }));
    const leader = await server.ec2().send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag:role", Values: ["leader-*"] },
          { Name: "instance-state-name", Values: ["running"] },
        ],
      }),
    );
    expect(leader.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId)).toEqual([Instances![0]!.InstanceId]);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await server.ec2().send(
        new DescribeInstancesCommand({
          MaxResults: 5,
          NextToken: token,
          Filters: [
            { Name: "tag:team", Values: ["paging"] },
            { Name: "instance-type", Values: ["t3.nano"] },
          ],
        }),
      );
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(Instances!.map((i) => i.InstanceId!).sort());

    const both = await server
      .ec2()
      .send(new DescribeInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!], MaxResults: 5 }))
      .catch((e) => e);
    expect(both.name).toBe("InvalidParameterCombination");
    const badFilter = await server
      .ec2()
      .send(new DescribeInstancesCommand({ Filters: [{ Name: "flavour", Values: ["x"] }] }))
      .catch((e) => e);
    expect(badFilter.name).toBe("InvalidParameterValue");
    const unknown = await server
      .ec2()
      .send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef1"] }))
      .catch((e) => e);
    expect(unknown.name).toBe("InvalidInstanceID.NotFound");
    expect(unknown.message).toBe("The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    const malformed = await server
      .ec2()
      .send(new DescribeInstancesCommand({ InstanceIds: ["i-nope"] }))
      .catch((e) => e);
    expect(malformed.name).toBe("InvalidInstanceID.Malformed");
    expect(malformed.message).toBe('Invalid id: "i-nope"');
  });

  it("pages without a filter past instances that ended over an hour ago, a small page read at its own size", async () => {
    // A server of its own: the page is of all the account's instances, and AdvanceClock moves its virtual clock.
    const own = await startTestServer();
    try {
      const ec2 = own.ec2();
      const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "t3.nano", MinCount: 12, MaxCount: 12 }));
      const ids = Instances!.map((i) => i.InstanceId!).sort();
      // The second to the sixth in id order end: the first page of 5 has to read past them.
      const ended = ids.slice(1, 6);
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: ended }));
      await advanceClock(own.url, 2 * 3600);
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: token }));
        pages.push(page.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId!));
        token = page.NextToken;
      } while (token);
      expect(pages.map((page) => page.length)).toEqual([5, 2]);
      expect(pages.flat().sort()).toEqual(ids.filter((id) => !ended.includes(id)));
    } finally {
      await own.stop();
    }
  });

  it("tests the filters an instance's own row answers before reading its linked rows, each as the whole instance answers it", async () => {
    const ec2 = server.ec2();
    const { Instances } = await ec2.send(
      new RunInstancesCommand({
        ImageId: images.al2Ena,
        InstanceType: "t3.nano",
        MinCount: 3,
        MaxCount: 3,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "team", Value: "row-filters" }] }],
      }),
    );
    const ids = Instances!.map((i) => i.InstanceId!).sort();
    const repo = new InstancesRepo(server.store.sql, new InstanceNetworkRepo(server.store.sql, new NetworkRepo(server.store.sql)));
    const [whole] = await repo.find({ accountId: "000000000000", region: "us-east-1" }, [ids[0]!]);
    expect([whole!.tags.length, whole!.volumes?.length, whole!.interfaces?.length]).toEqual([1, 1, 1]);
    const rowOnly = { ...whole!, tags: [], volumes: [], interfaces: [], placementGroupName: undefined } as Instance;
    const { fields } = instanceFilters(systemClock, (zone) => `id-of-${zone}`);
    for (const name of instanceRowFilterNames) {
      expect(fields[name], name).toBeDefined();
      expect([name, fields[name]!(rowOnly)]).toEqual([name, fields[name]!(whole!)]);
    }
    // Through the API: a row filter that keeps few instances of many, with a filter on the linked rows, page by page.
    await ec2.send(new StopInstancesCommand({ InstanceIds: [ids[0]!, ids[2]!] }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstancesCommand({
          MaxResults: 5,
          NextToken: token,
          Filters: [
            { Name: "instance-state-name", Values: ["stopped", "stopping"] },
            { Name: "tag:team", Values: ["row-*"] },
          ],
        }),
      );
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId!));
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual([ids[0]!, ids[2]!]);
    // Filters SQL answers from the row's own columns: the address, the key's name, the launch's token.
    const second = Instances!.find((i) => i.InstanceId === ids[1])!;
    const matching = async (Name: string, value: string) =>
      (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name, Values: [value] }] })))
        .Reservations!.flatMap((r) => r.Instances!)
        .map((i) => i.InstanceId);
    expect(await matching("private-ip-address", second.PrivateIpAddress!)).toEqual([ids[1]]);
    expect((await matching("client-token", second.ClientToken!)).sort()).toEqual(ids);
    expect(await matching("key-name", "no-such-key")).toEqual([]);
    // The stopped pair by why they stopped, and the second by its zone's id, among this test's instances.
    const ours = async (Name: string, value: string) =>
      (
        await ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name, Values: [value] },
              { Name: "tag:team", Values: ["row-filters"] },
            ],
          }),
        )
      )
        .Reservations!.flatMap((r) => r.Instances!)
        .map((i) => i.InstanceId!)
        .sort();
    expect(await ours("state-reason-code", "Client.UserInitiatedShutdown")).toEqual([ids[0], ids[2]]);
    expect(await ours("reason", "")).toEqual([ids[1]]);
    const zoneId = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[1]!] }))).Reservations![0]!.Instances![0]!.Placement!.AvailabilityZoneId!;
    expect(zoneId).toMatch(/^use1-az\d$/);
    expect(await ours("availability-zone-id", zoneId)).toContain(ids[1]);
  });

  it("combines a tag:K=V filter (read through the Tag index) with several-valued, key-only and column filters, page by page", async () => {
    const { CreateTagsCommand } = await import("@aws-sdk/client-ec2");
    const ec2 = server.ec2();
    const launch = async (count: number, shard: string) =>
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: images.al2Ena,
            InstanceType: "t3.nano",
            MinCount: count,
            MaxCount: count,
            TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "shard", Value: shard }] }],
          }),
        )
      ).Instances!.map((i) => i.InstanceId!);
    const [north, south, east] = [await launch(5, "north"), await launch(3, "south"), await launch(2, "east")];
    // Two of the north and one of the south also carry tier=db.
    await ec2.send(new CreateTagsCommand({ Resources: [north[0]!, north[3]!, south[1]!], Tags: [{ Key: "tier", Value: "db" }] }));
    const ids = async (filters: { Name: string; Values: string[] }[], maxResults?: number) => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: maxResults, NextToken: token }));
        seen.push(...page.Reservations!.flatMap((r) => r.Instances!).map((i) => i.InstanceId!));
        token = page.NextToken;
      } while (token);
      return seen.sort();
    };
    const sorted = (list: string[]) => [...list].sort();
    expect(await ids([{ Name: "tag:shard", Values: ["north"] }], 5)).toEqual(sorted(north));
    expect(await ids([{ Name: "tag:shard", Values: ["north", "east"] }], 5)).toEqual(sorted([...north, ...east]));
    expect(
      await ids(
        [
          { Name: "tag:shard", Values: ["north", "south"] },
          { Name: "tag:tier", Values: ["db"] },
        ],
        5,
      ),
    ).toEqual(sorted([north[0]!, north[3]!, south[1]!]));
    expect(
      await ids([
        { Name: "tag-key", Values: ["tier"] },
        { Name: "tag:shard", Values: ["south"] },
      ]),
    ).toEqual([south[1]!]);
    expect(
      await ids([
        { Name: "tag:tier", Values: ["db"] },
        { Name: "instance-id", Values: [north[3]!, east[0]!] },
      ]),
    ).toEqual([north[3]!]);
    expect(await ids([{ Name: "tag:shard", Values: ["west"] }])).toEqual([]);
  });

  it("refuses tags on a resource type RunInstances does not create, before launching anything", async () => {
    const error = await server
      .ec2()
      .send(
        new RunInstancesCommand({
          ImageId: images.al2Ena,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          TagSpecifications: [{ ResourceType: "image", Tags: [{ Key: "a", Value: "b" }] }],
        }),
      )
      .catch((e) => e);
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toContain("'image' is not a valid taggable resource type for this operation");
  });
});
