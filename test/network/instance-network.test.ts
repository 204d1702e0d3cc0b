// The instance in its network, through the SDK: the default-VPC launch, a launch into a subnet with a group, a /28
// filled to the last address, EC2's combination rules, the interface limits, the filters, stop and terminate.
// The VPC, subnet and group rows are written through NetworkRepo: CreateVpc/CreateSubnet/CreateSecurityGroup are
// built on other branches in parallel.
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  GetConsoleOutputCommand,
  type Instance,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../src/domain/caller.js";
import { newId } from "../../src/domain/ids.js";
import { newVpcWithDefaults, type SecurityGroup, type Subnet } from "../../src/domain/network.js";
import { NetworkRepo } from "../../src/store/network-repo.js";
import { aws } from "../support/aws-cli.js";
import { createAccount } from "../support/fixtures.js";
import { amazonImageIds, serverWithAmazonImages } from "../support/images.js";
import type { TestServer } from "../support/server.js";

const shared = serverWithAmazonImages();
const account: Scope = { accountId: "000000000000", region: "us-east-1" };
let ec2: EC2Client;
let custom: { vpcId: string; subnet: Subnet; small: Subnet; group: SecurityGroup; defaultGroupId: string };

/** A VPC 10.0.0.0/16 with a /24 and a /28 subnet in us-east-1b, neither mapping public addresses, and a group "web". */
async function customVpc(server: TestServer, scope: Scope) {
  const network = new NetworkRepo(server.store.sql);
  const now = new Date();
  const defaults = newVpcWithDefaults(scope, { cidrBlock: "10.0.0.0/16", isDefault: false, instanceTenancy: "default", tags: [] }, now);
  const vpcId = defaults.vpc.vpcId;
  const subnetOf = (cidrBlock: string): Subnet => ({
    ...scope,
    subnetId: newId("subnet"),
    vpcId,
    cidrBlock,
    availabilityZone: "us-east-1b",
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    createdAt: now,
    tags: [],
  });
  const subnet = subnetOf("10.0.1.0/24");
  const small = subnetOf("10.0.2.0/28");
  const group: SecurityGroup = { ...scope, groupId: newId("sg"), vpcId, groupName: "web", description: "web", createdAt: now, tags: [] };
  await server.store.sql.write(() => {
    network.insertVpcWithDefaultsSync(defaults);
    network.insertSubnetSync(subnet);
    network.insertSubnetSync(small);
    network.insertSecurityGroupSync(group, []);
  });
  return { vpcId, subnet, small, group, defaultGroupId: defaults.securityGroup.groupId };
}

const launch = (input: Partial<RunInstancesCommandInput> = {}) =>
  ec2.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...input }));
const describe1 = async (instanceId: string): Promise<Instance> =>
  (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ name: "no error", message: "" }),
    (e: Error) => e,
  );
const filtered = async (name: string, values: string[]) =>
  ((await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: name, Values: values }] }))).Reservations ?? []).flatMap((r) =>
    r.Instances!.map((i) => i.InstanceId!),
  );

beforeAll(async () => {
  ec2 = shared.server.ec2();
  custom = await customVpc(shared.server, account);
});

describe("a launch with no network arguments", () => {
  it("goes into the default subnet of its zone with the default group, a 172.31 address and a public one while running", async () => {
    const { Instances } = await launch({ Placement: { AvailabilityZone: "us-east-1c" } });
    const launched = Instances![0]!;
    expect(launched.PublicIpAddress).toBeUndefined();
    const instance = await describe1(launched.InstanceId!);
    expect(instance.State!.Name).toBe("running");
    expect(instance.PrivateIpAddress).toMatch(/^172\.31\.(3[2-9]|4[0-7])\.\d+$/); // us-east-1c's default subnet 172.31.32.0/20
    expect(instance.PrivateDnsName).toBe(`ip-${instance.PrivateIpAddress!.replace(/\./g, "-")}.ec2.internal`);
    expect(instance.VpcId).toMatch(/^vpc-/);
    expect(instance.SubnetId).toMatch(/^subnet-/);
    expect(instance.SecurityGroups).toEqual([{ GroupId: expect.stringMatching(/^sg-/), GroupName: "default" }]);
    expect(instance.SourceDestCheck).toBe(true);
    expect(instance.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(instance.PublicDnsName).toBe(`ec2-${instance.PublicIpAddress!.replace(/\./g, "-")}.compute-1.amazonaws.com`);
    const [eni] = instance.NetworkInterfaces!;
    expect(instance.NetworkInterfaces).toHaveLength(1);
    expect(eni).toMatchObject({
      NetworkInterfaceId: expect.stringMatching(/^eni-/),
      Attachment: { AttachmentId: expect.stringMatching(/^eni-attach-/), DeviceIndex: 0, NetworkCardIndex: 0, DeleteOnTermination: true, Status: "attached" },
      Groups: instance.SecurityGroups,
      InterfaceType: "interface",
      MacAddress: expect.stringMatching(/^02(:[0-9a-f]{2}){5}$/),
      Status: "in-use",
      SubnetId: instance.SubnetId,
      VpcId: instance.VpcId,
      OwnerId: account.accountId,
      PrivateIpAddress: instance.PrivateIpAddress,
      Association: { IpOwnerId: "amazon", PublicIp: instance.PublicIpAddress },
      PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: instance.PrivateIpAddress, PrivateDnsName: instance.PrivateDnsName }],
    });
    // DescribeNetworkInterfaces shows the same public address on the interface, and finds it by it.
    const publicAssociation = { IpOwnerId: "amazon", PublicIp: instance.PublicIpAddress, PublicDnsName: instance.PublicDnsName };
    const byPublicIp = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "association.public-ip", Values: [instance.PublicIpAddress!] }] }),
    );
    expect(byPublicIp.NetworkInterfaces).toMatchObject([
      { NetworkInterfaceId: eni!.NetworkInterfaceId, Association: publicAssociation, PrivateIpAddresses: [{ Association: publicAssociation }] },
    ]);
    const publicAttribute = () =>
      ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId, Attribute: "associatePublicIpAddress" }));
    expect((await publicAttribute()).AssociatePublicIpAddress).toBe(true);

    await ec2.send(new StopInstancesCommand({ InstanceIds: [launched.InstanceId!] }));
    const [stoppedEni] = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni!.NetworkInterfaceId!] }))).NetworkInterfaces!;
    expect(stoppedEni!.Association).toBeUndefined();
    expect((await publicAttribute()).AssociatePublicIpAddress).toBe(false);
    const stopped = await describe1(launched.InstanceId!);
    expect(stopped.State!.Name).toBe("stopped");
    expect(stopped.PublicIpAddress).toBeUndefined();
    expect(stopped.PublicDnsName).toBe("");
    expect(stopped.PrivateIpAddress).toBe(instance.PrivateIpAddress);

    const eniId = eni!.NetworkInterfaceId!;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [launched.InstanceId!] }));
    const gone = await describe1(launched.InstanceId!);
    expect(gone.NetworkInterfaces ?? []).toEqual([]);
    expect(await filtered("network-interface.network-interface-id", [eniId])).toEqual([]);
    const rows = shared.server.store.sql.all('SELECT * FROM "NetworkInterface" WHERE "networkInterfaceId" = ?', eniId);
    expect(rows).toEqual([]);
    expect(shared.server.store.sql.all('SELECT * FROM "PrivateIpAddress" WHERE "networkInterfaceId" = ?', eniId)).toEqual([]);
  });

  it("takes the zone's default subnet when the zone is chosen for it, and a private address asked for", async () => {
    const { Instances } = await launch({ Placement: { AvailabilityZone: "us-east-1a" }, PrivateIpAddress: "172.31.9.9" });
    expect(Instances![0]!.PrivateIpAddress).toBe("172.31.9.9");
    const again = await failure(launch({ Placement: { AvailabilityZone: "us-east-1a" }, PrivateIpAddress: "172.31.9.9" }));
    expect(again.name).toBe("InvalidIPAddress.InUse");
    const many = await failure(launch({ PrivateIpAddress: "172.31.9.10", MaxCount: 2 }));
    expect(many.name).toBe("InvalidParameterCombination");
  });
});

describe("a launch outside us-east-1", () => {
  it("names its addresses with the region: ip-….eu-west-1.compute.internal and ec2-….eu-west-1.compute.amazonaws.com", async () => {
    const europe = shared.server.ec2({ region: "eu-west-1" });
    const imageId = (await amazonImageIds(europe)).al2Ena;
    const { Instances } = await europe.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1 }));
    const instance = (await europe.send(new DescribeInstancesCommand({ InstanceIds: [Instances![0]!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(instance.PrivateIpAddress).toMatch(/^172\.31\./);
    expect(instance.PrivateDnsName).toBe(`ip-${instance.PrivateIpAddress!.replace(/\./g, "-")}.eu-west-1.compute.internal`);
    expect(instance.PublicDnsName).toBe(`ec2-${instance.PublicIpAddress!.replace(/\./g, "-")}.eu-west-1.compute.amazonaws.com`);
  });
});

describe("enhanced networking in the boot log", () => {
  it("shows the ena driver binding eth0 with the interface's MAC on a Nitro type, and netfront on a Xen type without it", async () => {
    const consoleOf = async (instanceId: string) =>
      Buffer.from((await ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId }))).Output ?? "", "base64").toString("utf8");
    const nitro = await describe1((await launch()).Instances![0]!.InstanceId!);
    const mac = nitro.NetworkInterfaces![0]!.MacAddress!;
    expect(await consoleOf(nitro.InstanceId!)).toContain(`eth0: Elastic Network Adapter (ENA) found, mac addr ${mac}`);
    const xen = await describe1((await launch({ ImageId: shared.images.hvmNoEna, InstanceType: "t2.micro" })).Instances![0]!.InstanceId!);
    const log = await consoleOf(xen.InstanceId!);
    expect(log).toContain(`eth0: netfront (no enhanced networking), mac ${xen.NetworkInterfaces![0]!.MacAddress}`);
    expect(log).toContain(`cloud-init: eth0: ${xen.PrivateIpAddress}`);
  });
});

describe("an Elastic IP on the instance's interface", () => {
  it("is its public address, stays across stop, and is disassociated at terminate", async () => {
    const id = (await launch()).Instances![0]!.InstanceId!;
    const eni = (await describe1(id)).NetworkInterfaces![0]!;
    const allocationId = newId("eipalloc");
    await shared.server.store.sql.write(() =>
      new NetworkRepo(shared.server.store.sql).insertAddressSync({
        ...account,
        allocationId,
        publicIp: "198.51.100.7",
        domain: "vpc",
        createdAt: new Date(),
        associationId: newId("eipassoc"),
        networkInterfaceId: eni.NetworkInterfaceId!,
        privateIpAddress: eni.PrivateIpAddress!,
        tags: [],
      }),
    );
    const shown = await describe1(id);
    expect(shown.PublicIpAddress).toBe("198.51.100.7");
    expect(shown.NetworkInterfaces![0]!.Association).toMatchObject({ IpOwnerId: account.accountId, PublicIp: "198.51.100.7" });
    expect(await filtered("network-interface.association.allocation-id", [allocationId])).toEqual([id]);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect((await describe1(id)).PublicIpAddress).toBe("198.51.100.7");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(shared.server.store.sql.get('SELECT "networkInterfaceId", "associationId" FROM "Address" WHERE "allocationId" = ?', allocationId)).toEqual({
      networkInterfaceId: null,
      associationId: null,
    });
  });
});

describe("a launch into a subnet with a security group", () => {
  it("puts the instance in the subnet's zone and VPC, with the group, and no public address where the subnet maps none", async () => {
    const { Instances } = await launch({ SubnetId: custom.subnet.subnetId, SecurityGroupIds: [custom.group.groupId] });
    const instance = await describe1(Instances![0]!.InstanceId!);
    expect(instance.Placement!.AvailabilityZone).toBe("us-east-1b");
    expect(instance).toMatchObject({
      VpcId: custom.vpcId,
      SubnetId: custom.subnet.subnetId,
      SecurityGroups: [{ GroupId: custom.group.groupId, GroupName: "web" }],
    });
    expect(instance.PrivateIpAddress).toMatch(/^10\.0\.1\.\d+$/);
    expect(instance.PublicIpAddress).toBeUndefined();
  });

  it("shows a public address where AssociatePublicIpAddress asks for one, and a new one after each start", async () => {
    const { Instances } = await launch({
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: custom.subnet.subnetId, Groups: [custom.group.groupId], AssociatePublicIpAddress: true }],
    });
    const id = Instances![0]!.InstanceId!;
    const instance = await describe1(id);
    expect(instance.PublicIpAddress).toBeDefined();
    expect(instance.SecurityGroups).toEqual([{ GroupId: custom.group.groupId, GroupName: "web" }]);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    const restarted = await describe1(id);
    expect(restarted.State!.Name).toBe("running");
    expect(restarted.PublicIpAddress).toBeDefined();
    expect(restarted.PublicIpAddress).not.toBe(instance.PublicIpAddress);
    expect(restarted.PrivateIpAddress).toBe(instance.PrivateIpAddress);
  });

  it("takes the VPC's default group when none is named", async () => {
    const { Instances } = await launch({ SubnetId: custom.subnet.subnetId });
    expect((await describe1(Instances![0]!.InstanceId!)).SecurityGroups).toEqual([{ GroupId: custom.defaultGroupId, GroupName: "default" }]);
  });

  it("refuses what EC2 refuses, with EC2's words", async () => {
    const cases: Array<[Partial<RunInstancesCommandInput>, string, string | RegExp]> = [
      [{ SubnetId: "subnet-0123456789abcdef0" }, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0123456789abcdef0' does not exist"],
      [{ SecurityGroupIds: ["sg-0123456789abcdef0"] }, "InvalidGroup.NotFound", "The security group 'sg-0123456789abcdef0' does not exist"],
      [{ SecurityGroups: ["no-such-group"] }, "InvalidGroup.NotFound", /The security group 'no-such-group' does not exist in default VPC 'vpc-/],
      [
        { SecurityGroupIds: [custom.group.groupId] },
        "InvalidParameter",
        new RegExp(`^Security group ${custom.group.groupId} and subnet subnet-\\w+ belong to different networks\\.$`),
      ],
      [
        { SubnetId: custom.subnet.subnetId, SecurityGroups: ["default"] },
        "InvalidParameterCombination",
        "The parameter groupName cannot be used with the parameter subnet",
      ],
      [
        { SubnetId: custom.subnet.subnetId, Placement: { AvailabilityZone: "us-east-1a" } },
        "InvalidParameterValue",
        `Value (us-east-1a) for parameter availabilityZone is invalid. Subnet '${custom.subnet.subnetId}' is in the availability zone us-east-1b`,
      ],
      [
        { SubnetId: custom.subnet.subnetId, NetworkInterfaces: [{ DeviceIndex: 0 }] },
        "InvalidParameterCombination",
        "Network interfaces and an instance-level subnet ID may not be specified on the same request",
      ],
      [
        { SecurityGroupIds: [custom.group.groupId], NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: custom.subnet.subnetId }] },
        "InvalidParameterCombination",
        "Network interfaces and an instance-level security groups may not be specified on the same request",
      ],
      [
        { PrivateIpAddress: "10.0.1.50", NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: custom.subnet.subnetId }] },
        "InvalidParameterCombination",
        "Network interfaces and an instance-level private IP address may not be specified on the same request",
      ],
      [{ SubnetId: custom.subnet.subnetId, PrivateIpAddress: "10.0.9.9" }, "InvalidParameterValue", /does not fall within the subnet's address range/],
    ];
    for (const [input, code, message] of cases) {
      const error = await failure(launch(input));
      expect(error.name, JSON.stringify(input)).toBe(code);
      if (typeof message === "string") expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
  });

  it("leaves another account's subnet and groups unknown to it", async () => {
    const other = shared.server.ec2({ credentials: await createAccount(shared.server, "222233334444") });
    const run = (input: Partial<RunInstancesCommandInput>) =>
      other.send(new RunInstancesCommand({ ImageId: shared.images.al2Ena, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, ...input }));
    expect((await failure(run({ SubnetId: custom.subnet.subnetId }))).name).toBe("InvalidSubnetID.NotFound");
    expect((await failure(run({ SecurityGroupIds: [custom.group.groupId] }))).name).toBe("InvalidGroup.NotFound");
  });
});

describe("a /28 subnet", () => {
  it("holds 11 instances; the 12th launch answers InsufficientFreeAddressesInSubnet and leaves nothing behind", async () => {
    const subnetId = custom.small.subnetId;
    const { Instances } = await launch({ SubnetId: subnetId, MinCount: 11, MaxCount: 11 });
    expect(Instances!.map((i) => i.PrivateIpAddress).sort()).toEqual(Array.from({ length: 11 }, (_, i) => `10.0.2.${4 + i}`).sort());
    const count = (table: string) => (shared.server.store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`) as { n: number }).n;
    const before = { instances: count("Instance"), volumes: count("Volume"), interfaces: count("NetworkInterface"), addresses: count("PrivateIpAddress") };
    const full = await failure(launch({ SubnetId: subnetId }));
    expect(full.name).toBe("InsufficientFreeAddressesInSubnet");
    expect(full.message).toBe(`Insufficient Free IP Addresses in subnet ${subnetId}.`);
    expect({ instances: count("Instance"), volumes: count("Volume"), interfaces: count("NetworkInterface"), addresses: count("PrivateIpAddress") }).toEqual(
      before,
    );
    // A terminated instance gives its address back.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [Instances![3]!.InstanceId!] }));
    const { Instances: next } = await launch({ SubnetId: subnetId });
    expect(next![0]!.PrivateIpAddress).toBe(Instances![3]!.PrivateIpAddress);
  });
});

describe("the interface limits of the instance type", () => {
  const nics = (count: number, extra: object = {}) => Array.from({ length: count }, (_, i) => ({ DeviceIndex: i, SubnetId: custom.subnet.subnetId, ...extra }));

  it("refuses more interfaces than the type takes (AttachmentLimitExceeded)", async () => {
    const error = await failure(launch({ InstanceType: "t3.micro", NetworkInterfaces: nics(3) }));
    expect(error.name).toBe("AttachmentLimitExceeded");
    expect(error.message).toBe("Interface count 3 exceeds the limit for t3.micro");
    const { Instances } = await launch({ InstanceType: "t3.micro", NetworkInterfaces: nics(2) });
    expect((await describe1(Instances![0]!.InstanceId!)).NetworkInterfaces!.map((n) => n.Attachment!.DeviceIndex)).toEqual([0, 1]);
  });

  it("refuses a network card the type does not have", async () => {
    const error = await failure(
      launch({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: custom.subnet.subnetId },
          { DeviceIndex: 1, NetworkCardIndex: 1, SubnetId: custom.subnet.subnetId },
        ],
      }),
    );
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toMatch(/Network card index 1 is not valid for t3\.micro/);
  });

  it("refuses more addresses on an interface than the type allows (PrivateIpAddressLimitExceeded)", async () => {
    const error = await failure(launch({ NetworkInterfaces: nics(1, { SecondaryPrivateIpAddressCount: 2 }) }));
    expect(error.name).toBe("PrivateIpAddressLimitExceeded");
    const { Instances } = await launch({ NetworkInterfaces: nics(1, { SecondaryPrivateIpAddressCount: 1 }) });
    const [eni] = (await describe1(Instances![0]!.InstanceId!)).NetworkInterfaces!;
    expect(eni!.PrivateIpAddresses!.map((a) => a.Primary)).toEqual([true, false]);
  });

  it("refuses an EFA interface on a type without EFA", async () => {
    const error = await failure(launch({ NetworkInterfaces: nics(1, { InterfaceType: "efa" }) }));
    expect(error.name).toBe("InvalidParameterCombination");
    expect(error.message).toContain("t3.micro");
  });
});

describe("DescribeInstances' network filters and ModifyInstanceAttribute", () => {
  let instance: Instance;
  beforeAll(async () => {
    const { Instances } = await launch({ SubnetId: custom.subnet.subnetId, SecurityGroupIds: [custom.group.groupId] });
    instance = await describe1(Instances![0]!.InstanceId!);
  });

  it("filters by VPC, subnet, addresses, DNS name, interface and group", async () => {
    const eni = instance.NetworkInterfaces![0]!;
    const cases: Array<[string, string]> = [
      ["vpc-id", custom.vpcId],
      ["subnet-id", custom.subnet.subnetId],
      ["private-ip-address", instance.PrivateIpAddress!],
      ["private-dns-name", instance.PrivateDnsName!],
      ["network-interface.network-interface-id", eni.NetworkInterfaceId!],
      ["network-interface.subnet-id", custom.subnet.subnetId],
      ["network-interface.vpc-id", custom.vpcId],
      ["network-interface.private-ip-address", instance.PrivateIpAddress!],
      ["network-interface.addresses.private-ip-address", instance.PrivateIpAddress!],
      ["network-interface.attachment.attachment-id", eni.Attachment!.AttachmentId!],
      ["network-interface.attachment.device-index", "0"],
      ["network-interface.attachment.status", "attached"],
      ["network-interface.group-id", custom.group.groupId],
      ["network-interface.mac-address", eni.MacAddress!],
      ["network-interface.status", "in-use"],
      ["instance.group-id", custom.group.groupId],
      ["instance.group-name", "web"],
      ["group-id", custom.group.groupId],
      ["group-name", "web"],
    ];
    for (const [name, value] of cases) expect(await filtered(name, [value]), name).toContain(instance.InstanceId);
    expect(await filtered("vpc-id", ["vpc-00000000"])).toEqual([]);
    const publicOne = (await filtered("ip-address", ["*"])).length;
    expect(publicOne).toBeGreaterThan(0);
    expect(await filtered("ip-address", ["*"])).not.toContain(instance.InstanceId);
  });

  it("replaces the groups and sets the source/destination check", async () => {
    const id = instance.InstanceId!;
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [custom.defaultGroupId, custom.group.groupId] }));
    const groups = (await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "groupSet" }))).Groups!;
    expect(groups.map((g) => g.GroupName).sort()).toEqual(["default", "web"]);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
    const after = await describe1(id);
    expect(after.SourceDestCheck).toBe(false);
    expect(after.NetworkInterfaces![0]!.SourceDestCheck).toBe(false);
    const defaultVpcGroup = (await describe1((await launch()).Instances![0]!.InstanceId!)).SecurityGroups![0]!.GroupId!;
    const error = await failure(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [defaultVpcGroup] })));
    expect(error.name).toBe("InvalidParameter");
    expect((await failure(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: ["sg-0123456789abcdef0"] })))).name).toBe(
      "InvalidGroup.NotFound",
    );
  });
});

describe("the AWS CLI", () => {
  it("runs an instance with --subnet-id and --security-group-ids, and with --associate-public-ip-address", async () => {
    const cli = (...args: string[]) => aws(shared.server.url, args);
    const run = await cli(
      "ec2",
      "run-instances",
      "--image-id",
      shared.images.al2Ena,
      "--instance-type",
      "t3.micro",
      "--subnet-id",
      custom.subnet.subnetId,
      "--security-group-ids",
      custom.group.groupId,
    );
    expect(run.code, run.stderr).toBe(0);
    const id = run.json.Instances[0].InstanceId;
    expect(run.json.Instances[0]).toMatchObject({ SubnetId: custom.subnet.subnetId, VpcId: custom.vpcId, SecurityGroups: [{ GroupName: "web" }] });
    const described = await cli("ec2", "describe-instances", "--filters", `Name=subnet-id,Values=${custom.subnet.subnetId}`, `Name=instance-id,Values=${id}`);
    expect(described.json.Reservations[0].Instances[0].NetworkInterfaces[0].Groups).toEqual([{ GroupId: custom.group.groupId, GroupName: "web" }]);
    // The CLI turns --associate-public-ip-address into NetworkInterfaces with the subnet and groups inside.
    const withPublic = await cli(
      "ec2",
      "run-instances",
      "--image-id",
      shared.images.al2Ena,
      "--instance-type",
      "t3.micro",
      "--subnet-id",
      custom.subnet.subnetId,
      "--security-group-ids",
      custom.group.groupId,
      "--associate-public-ip-address",
    );
    expect(withPublic.code, withPublic.stderr).toBe(0);
    const shown = await cli("ec2", "describe-instances", "--instance-ids", withPublic.json.Instances[0].InstanceId);
    expect(shown.json.Reservations[0].Instances[0].PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
