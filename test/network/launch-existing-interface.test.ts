// RunInstances with an existing network interface (NetworkInterface.N.NetworkInterfaceId), through the SDK and the
// AWS CLI: the instance takes the interface's subnet, VPC, zone, groups and addresses; the interface must be
// available, the caller's and in the launch's zone; members that would contradict it are refused; terminate
// detaches it (DeleteOnTermination false) and it stays available with its address.
import {
  CreateLaunchTemplateCommand,
  CreateNetworkInterfaceCommand,
  type CreateNetworkInterfaceCommandInput,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInterfaceCommand,
  DeleteSubnetCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type Instance,
  type InstanceNetworkInterfaceSpecification,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { createAccount } from "../support/fixtures.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
let ec2: EC2Client;
let vpcId: string;
let subnetId: string;
let groupId: string;

beforeAll(async () => {
  ec2 = shared.server.ec2();
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.1.0/24", AvailabilityZone: "us-east-1c" }))).Subnet!.SubnetId!;
  groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "app", VpcId: vpcId }))).GroupId!;
});

const createInterface = async (input: Partial<CreateNetworkInterfaceCommandInput> = {}) =>
  (await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [groupId], ...input }))).NetworkInterface!;
const launch = (NetworkInterfaces: InstanceNetworkInterfaceSpecification[], input: Partial<RunInstancesCommandInput> = {}) =>
  ec2.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, NetworkInterfaces, ...input }));
const describe1 = async (instanceId: string): Promise<Instance> =>
  (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
const interfaceOf = async (id: string) => (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] }))).NetworkInterfaces![0]!;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: "no error", message: "" }),
    (e: Error) => e,
  );

describe("an existing interface as the primary one", () => {
  it("gives the instance its subnet, VPC, zone, groups and addresses; terminate detaches it and it stays available", async () => {
    const eni = await createInterface({ SecondaryPrivateIpAddressCount: 1 });
    const { Instances } = await launch([{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }]);
    const instanceId = Instances![0]!.InstanceId!;
    const instance = await describe1(instanceId);
    expect(instance).toMatchObject({
      VpcId: vpcId,
      SubnetId: subnetId,
      PrivateIpAddress: eni.PrivateIpAddress,
      Placement: expect.objectContaining({ AvailabilityZone: "us-east-1c" }),
      SecurityGroups: [{ GroupId: groupId, GroupName: "app" }],
    });
    // An existing interface gets no auto-assigned public address.
    expect(instance.PublicIpAddress).toBeUndefined();
    expect(instance.NetworkInterfaces).toHaveLength(1);
    expect(instance.NetworkInterfaces![0]).toMatchObject({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      MacAddress: eni.MacAddress,
      Attachment: { DeviceIndex: 0, DeleteOnTermination: false, Status: "attached" },
    });
    expect(instance.NetworkInterfaces![0]!.PrivateIpAddresses!.map((a) => a.PrivateIpAddress)).toEqual(eni.PrivateIpAddresses!.map((a) => a.PrivateIpAddress));
    expect(await interfaceOf(eni.NetworkInterfaceId!)).toMatchObject({ Status: "in-use", Attachment: { InstanceId: instanceId } });

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const after = await interfaceOf(eni.NetworkInterfaceId!);
    expect(after.Status).toBe("available");
    expect(after.Attachment).toBeUndefined();
    expect(after.PrivateIpAddress).toBe(eni.PrivateIpAddress);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId! }));
  });

  it("answers a retried launch with the same ClientToken with the first instance, though the interface is now in use", async () => {
    const eni = await createInterface();
    const spec = [{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }];
    const first = (await launch(spec, { ClientToken: "existing-eni-retry" })).Instances![0]!.InstanceId;
    const again = (await launch(spec, { ClientToken: "existing-eni-retry" })).Instances![0]!.InstanceId;
    expect(again).toBe(first);
    const other = await failure(launch(spec, { ClientToken: "another-token" }));
    expect(other.name).toBe("InvalidNetworkInterface.InUse");
  });

  it("settles the ClientToken before DryRun: a used token's dry run succeeds, a new one's finds the interface in use", async () => {
    const eni = await createInterface();
    const spec = [{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }];
    await launch(spec, { ClientToken: "dry-run-after-launch" });
    // The retry would answer the earlier reservation, so its dry run would have succeeded.
    expect((await failure(launch(spec, { ClientToken: "dry-run-after-launch", DryRun: true }))).name).toBe("DryRunOperation");
    // A new launch would find the interface taken, and so does its dry run.
    const fresh = await failure(launch(spec, { ClientToken: "dry-run-fresh", DryRun: true }));
    expect([fresh.name, fresh.message]).toEqual(["InvalidNetworkInterface.InUse", expect.stringContaining(eni.NetworkInterfaceId!)]);
    // The same token with another instance type: EC2's IdempotentParameterMismatch, dry run or not.
    for (const DryRun of [true, false]) {
      const changed = await failure(launch(spec, { ClientToken: "dry-run-after-launch", InstanceType: "t3.small", DryRun }));
      expect(changed.name).toBe("IdempotentParameterMismatch");
    }
  });

  it("honours DeleteOnTermination set on the attachment after launch", async () => {
    const eni = await createInterface();
    const { Instances } = await launch([{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId, DeleteOnTermination: false }]);
    const attachmentId = (await describe1(Instances![0]!.InstanceId!)).NetworkInterfaces![0]!.Attachment!.AttachmentId!;
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: eni.NetworkInterfaceId,
        Attachment: { AttachmentId: attachmentId, DeleteOnTermination: true },
      }),
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }));
    expect((await failure(interfaceOf(eni.NetworkInterfaceId!))).name).toBe("InvalidNetworkInterfaceID.NotFound");
  });
});

describe("an existing interface as a secondary one", () => {
  it("attaches at its device index beside a new primary interface", async () => {
    const eni = await createInterface();
    const { Instances } = await launch([
      { DeviceIndex: 0, SubnetId: subnetId },
      { DeviceIndex: 1, NetworkInterfaceId: eni.NetworkInterfaceId },
    ]);
    const instance = await describe1(Instances![0]!.InstanceId!);
    expect(instance.NetworkInterfaces!.map((n) => [n.Attachment!.DeviceIndex, n.Attachment!.DeleteOnTermination])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(instance.NetworkInterfaces![1]!.NetworkInterfaceId).toBe(eni.NetworkInterfaceId);
    expect(instance.PrivateIpAddress).not.toBe(eni.PrivateIpAddress);
    // DescribeNetworkInterfaces finds both by the instance, and the existing one by its group.
    const filtered = async (Name: string, value: string) =>
      (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name, Values: [value] }] })))
        .NetworkInterfaces!.map((n) => n.NetworkInterfaceId)
        .sort();
    expect(await filtered("attachment.instance-id", instance.InstanceId!)).toEqual(instance.NetworkInterfaces!.map((n) => n.NetworkInterfaceId).sort());
    expect(await filtered("group-id", groupId)).toContain(eni.NetworkInterfaceId);
  });
});

describe("a launch template naming an existing interface", () => {
  it("launches onto that interface", async () => {
    const eni = await createInterface();
    const template = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "pinned-eni",
        LaunchTemplateData: {
          ImageId: shared.images.al2Ena,
          InstanceType: "t3.micro",
          NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }],
        },
      }),
    );
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId } }),
    );
    const instance = await describe1(Instances![0]!.InstanceId!);
    expect(instance.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([eni.NetworkInterfaceId]);
    expect(instance.PrivateIpAddress).toBe(eni.PrivateIpAddress);
  });
});

describe("a new interface launched with DeleteOnTermination false", () => {
  it("stays after terminate, available with its address, and holds its subnet until deleted", async () => {
    const small = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.9.0/28", AvailabilityZone: "us-east-1c" }))).Subnet!.SubnetId!;
    const { Instances } = await launch([{ DeviceIndex: 0, SubnetId: small, DeleteOnTermination: false }]);
    const instance = await describe1(Instances![0]!.InstanceId!);
    const eniId = instance.NetworkInterfaces![0]!.NetworkInterfaceId!;
    expect(instance.NetworkInterfaces![0]!.Attachment!.DeleteOnTermination).toBe(false);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }));
    expect(await interfaceOf(eniId)).toMatchObject({ Status: "available", PrivateIpAddress: instance.PrivateIpAddress });
    expect((await failure(ec2.send(new DeleteSubnetCommand({ SubnetId: small })))).name).toBe("DependencyViolation");
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: small }));
  });
});

describe("what EC2 refuses", () => {
  it("an interface in use, in another zone, unknown, malformed, or of another account", async () => {
    const eni = await createInterface();
    await launch([{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }]);
    const inUse = await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId }]));
    expect(inUse).toMatchObject({ name: "InvalidNetworkInterface.InUse", message: `Interface: [${eni.NetworkInterfaceId}] in use.` });

    const free = await createInterface();
    const elsewhere = await failure(
      launch([{ DeviceIndex: 0, NetworkInterfaceId: free.NetworkInterfaceId }], { Placement: { AvailabilityZone: "us-east-1a" } }),
    );
    expect(elsewhere.name).toBe("InvalidParameterValue");
    expect(elsewhere.message).toBe(
      `Value (us-east-1a) for parameter availabilityZone is invalid. Network interface '${free.NetworkInterfaceId}' is in the availability zone us-east-1c`,
    );
    const unknown = await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: "eni-0123456789abcdef0" }]));
    expect(unknown).toMatchObject({ name: "InvalidNetworkInterfaceID.NotFound", message: "The networkInterface ID 'eni-0123456789abcdef0' does not exist" });
    expect((await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: "nic-1" }]))).name).toBe("InvalidNetworkInterfaceID.Malformed");

    const other = shared.server.ec2({ credentials: await createAccount(shared.server, "444455556666") });
    const foreign = await failure(
      other.send(
        new RunInstancesCommand({
          ImageId: shared.images.al2Ena,
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: free.NetworkInterfaceId }],
        }),
      ),
    );
    expect(foreign.name).toBe("InvalidNetworkInterfaceID.NotFound");
    expect((await interfaceOf(free.NetworkInterfaceId!)).Status).toBe("available");
  });

  it("members that contradict the interface, more than one instance, and the same interface twice", async () => {
    const id = (await createInterface()).NetworkInterfaceId!;
    const cases: Array<[InstanceNetworkInterfaceSpecification[], Partial<RunInstancesCommandInput>, string, string | RegExp]> = [
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, SubnetId: subnetId }], {}, "InvalidParameterCombination", /NetworkInterfaceId.*SubnetId/],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, Groups: [groupId] }], {}, "InvalidParameterCombination", /NetworkInterfaceId.*Groups/],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, PrivateIpAddress: "10.30.1.99" }], {}, "InvalidParameterCombination", /PrivateIpAddress/],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, SecondaryPrivateIpAddressCount: 1 }], {}, "InvalidParameterCombination", /SecondaryPrivateIpAddressCount/],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, InterfaceType: "efa" }], {}, "InvalidParameterCombination", /InterfaceType/],
      [
        [{ DeviceIndex: 0, NetworkInterfaceId: id, AssociatePublicIpAddress: true }],
        {},
        "InvalidParameterCombination",
        "The associatePublicIPAddress parameter cannot be specified for an existing network interface: a public address is assigned only to a new interface.",
      ],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id, DeleteOnTermination: true }], {}, "InvalidParameterCombination", /DeleteOnTermination/],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id }], { MaxCount: 2 }, "InvalidParameterCombination", /more than one instance/],
      [
        [
          { DeviceIndex: 0, NetworkInterfaceId: id },
          { DeviceIndex: 1, NetworkInterfaceId: id },
        ],
        {},
        "InvalidParameterValue",
        `Network interface ${id} is given more than once.`,
      ],
      [[{ DeviceIndex: 0, NetworkInterfaceId: id }], { SubnetId: subnetId }, "InvalidParameterCombination", /instance-level subnet ID/],
    ];
    for (const [interfaces, input, code, message] of cases) {
      const error = await failure(launch(interfaces, input));
      expect(error.name, JSON.stringify(interfaces)).toBe(code);
      if (typeof message === "string") expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
    expect((await interfaceOf(id)).Status).toBe("available");
  });

  it("an EFA interface on a type without EFA, more addresses than the type takes, and a launch that fails later leaves the interface available", async () => {
    const efa = await createInterface({ InterfaceType: "efa" });
    const error = await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: efa.NetworkInterfaceId }]));
    expect(error.name).toBe("InvalidParameterCombination");
    expect(error.message).toContain("t3.micro");
    // t3.micro takes 2 IPv4 addresses an interface: an existing interface with 3 is judged by its own count.
    const crowded = await createInterface({ SecondaryPrivateIpAddressCount: 2 });
    expect((await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: crowded.NetworkInterfaceId }]))).name).toBe("PrivateIpAddressLimitExceeded");

    // The second interface asks for the first one's address: the launch's transaction fails after taking the
    // existing interface, and rolls the attachment back.
    const eni = await createInterface();
    const taken = await failure(
      launch([
        { DeviceIndex: 0, NetworkInterfaceId: eni.NetworkInterfaceId },
        { DeviceIndex: 1, SubnetId: subnetId, PrivateIpAddress: eni.PrivateIpAddress },
      ]),
    );
    expect(taken.name).toBe("InvalidIPAddress.InUse");
    const after = await interfaceOf(eni.NetworkInterfaceId!);
    expect(after.Status).toBe("available");
    expect(after.Attachment).toBeUndefined();
  });
});

describe("TagSpecifications for network interfaces", () => {
  it("tag the interfaces the launch creates, not an existing one, and are refused when the launch creates none", async () => {
    const eni = await createInterface();
    const TagSpecifications = [{ ResourceType: "network-interface" as const, Tags: [{ Key: "Name", Value: "launched-eni" }] }];
    const { Instances } = await launch(
      [
        { DeviceIndex: 0, SubnetId: subnetId },
        { DeviceIndex: 1, NetworkInterfaceId: eni.NetworkInterfaceId },
      ],
      { TagSpecifications },
    );
    const created = (await describe1(Instances![0]!.InstanceId!)).NetworkInterfaces![0]!.NetworkInterfaceId!;
    const tagged = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "tag:Name", Values: ["launched-eni"] }] }));
    expect(tagged.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([created]);
    expect(tagged.NetworkInterfaces![0]!.TagSet).toEqual([{ Key: "Name", Value: "launched-eni" }]);

    const other = await createInterface();
    const refused = await failure(launch([{ DeviceIndex: 0, NetworkInterfaceId: other.NetworkInterfaceId }], { TagSpecifications }));
    expect(refused).toMatchObject({
      name: "InvalidParameterValue",
      message: "You cannot specify tags for network interfaces if there are no network interfaces being created by the request.",
    });
    expect((await interfaceOf(other.NetworkInterfaceId!)).Status).toBe("available");
  });
});

describe("the AWS CLI", () => {
  it("launches with --network-interfaces DeviceIndex=0,NetworkInterfaceId=…", async () => {
    const eni = await createInterface();
    const run = await aws(shared.server.url, [
      "ec2",
      "run-instances",
      "--image-id",
      shared.images.al2Ena,
      "--instance-type",
      "t3.micro",
      "--network-interfaces",
      `DeviceIndex=0,NetworkInterfaceId=${eni.NetworkInterfaceId}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.Instances[0]).toMatchObject({ SubnetId: subnetId, VpcId: vpcId, PrivateIpAddress: eni.PrivateIpAddress });
  });
});
