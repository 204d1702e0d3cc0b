// The cross-account audit: every path where one account can name another's resource by id, as a table of
// resource × operation × "the other account's id" -> EC2's code. Account A owns one of each resource; account B
// names it. Each row also proves that A's resource came out unchanged (the after-check at the end).
import {
  AllocateHostsCommand,
  AttachVolumeCommand,
  CopyImageCommand,
  CopySnapshotCommand,
  CreateImageCommand,
  CreateKeyPairCommand,
  CreatePlacementGroupCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteKeyPairCommand,
  DeletePlacementGroupCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeHostsCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeKeyPairsCommand,
  DescribePlacementGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DescribeVolumesModificationsCommand,
  DetachVolumeCommand,
  type EC2Client,
  GetConsoleOutputCommand,
  ModifyHostsCommand,
  ModifyImageAttributeCommand,
  ModifyInstanceAttributeCommand,
  ModifyVolumeCommand,
  RebootInstancesCommand,
  RegisterImageCommand,
  ReleaseHostsCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ec2ServiceModel, extensionServiceModel, shapeOf } from "../../src/protocol/service-model.js";
import { amazonRootSnapshot, type Credentials, createStranger } from "../support/fixtures.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { rawRequest } from "../support/signed-request.js";

let server: TestServer;
let stranger: Credentials;
let a: EC2Client;
let b: EC2Client;
/** A's resources, by kind. */
const mine = {} as {
  imageId: string;
  snapshotId: string;
  volumeId: string;
  instanceId: string;
  hostId: string;
  groupName: string;
  keyName: string;
  publicImageId: string;
  bInstanceId: string;
  bVolumeId: string;
};

const zone = "us-east-1a";

beforeAll(async () => {
  server = await startTestServer();
  stranger = await createStranger(server);
  a = server.ec2();
  b = server.ec2({ credentials: stranger });
  const al2 = await amazonRootSnapshot(server, "amzn2-ami-hvm-2.0.20190313-x86_64-gp2");
  const { Images } = await a.send(
    new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-2.0.20190313-x86_64-gp2"] }] }),
  );
  mine.publicImageId = Images![0]!.ImageId!;

  mine.volumeId = (await a.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8, SnapshotId: al2 }))).VolumeId!;
  mine.snapshotId = (await a.send(new CreateSnapshotCommand({ VolumeId: mine.volumeId }))).SnapshotId!;
  mine.imageId = (
    await a.send(
      new RegisterImageCommand({
        Name: "a-private-image",
        Architecture: "x86_64",
        VirtualizationType: "hvm",
        EnaSupport: true,
        RootDeviceName: "/dev/xvda",
        BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: mine.snapshotId } }],
      }),
    )
  ).ImageId!;
  mine.instanceId = (
    await a.send(
      new RunInstancesCommand({ ImageId: mine.publicImageId, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }),
    )
  ).Instances![0]!.InstanceId!;
  mine.hostId = (await a.send(new AllocateHostsCommand({ AvailabilityZone: zone, InstanceType: "m5.large", Quantity: 1 }))).HostIds![0]!;
  mine.groupName = "a-group";
  await a.send(new CreatePlacementGroupCommand({ GroupName: mine.groupName, Strategy: "cluster" }));
  mine.keyName = "a-key";
  await a.send(new CreateKeyPairCommand({ KeyName: mine.keyName }));

  // B's own instance and volume, to name A's resource beside one of B's own.
  mine.bInstanceId = (
    await b.send(
      new RunInstancesCommand({ ImageId: mine.publicImageId, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone } }),
    )
  ).Instances![0]!.InstanceId!;
  mine.bVolumeId = (await b.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 8 }))).VolumeId!;
});
afterAll(() => server.stop());

const launch = (extra: Record<string, unknown>) =>
  new RunInstancesCommand({ ImageId: mine.publicImageId, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: zone }, ...extra });

/** A client of B's whose every call is sent with DryRun=true. */
function dryRunningB(): EC2Client {
  const copy = server.ec2({ credentials: stranger });
  copy.middlewareStack.add((next) => (args) => next({ ...args, input: { ...(args.input as object), DryRun: true } }), { step: "initialize" });
  return copy;
}

/** B's extension call (mini-ec2's own operations), signed with B's key. */
async function extensionAsB(action: string, params: Record<string, string>): Promise<never> {
  const response = await rawRequest(server.url, { params: { Action: action, Version: "2026-11-22", ...params }, credentials: stranger });
  throw Object.assign(new Error(response.message ?? `status ${response.status}`), { name: response.code ?? "no error" });
}

type Row = [resource: string, operation: string, call: () => Promise<unknown>, code: string];

/** The table as B; or as B dry-running each call (DryRun=true: EC2 makes the same checks, so the same code). */
const table = (as: EC2Client = b, extension = extensionAsB): Row[] => [
  ["image", "DescribeImages", () => as.send(new DescribeImagesCommand({ ImageIds: [mine.imageId] })), "InvalidAMIID.NotFound"],
  [
    "image",
    "DescribeImageAttribute",
    () => as.send(new DescribeImageAttributeCommand({ ImageId: mine.imageId, Attribute: "description" })),
    "InvalidAMIID.NotFound",
  ],
  [
    "image",
    "ModifyImageAttribute",
    () => as.send(new ModifyImageAttributeCommand({ ImageId: mine.imageId, Description: { Value: "mine now" } })),
    "InvalidAMIID.NotFound",
  ],
  ["image", "DeregisterImage", () => as.send(new DeregisterImageCommand({ ImageId: mine.imageId })), "InvalidAMIID.NotFound"],
  [
    "image",
    "CopyImage",
    () => as.send(new CopyImageCommand({ SourceImageId: mine.imageId, SourceRegion: "us-east-1", Name: "stolen" })),
    "InvalidAMIID.NotFound",
  ],
  ["image", "RunInstances", () => as.send(launch({ ImageId: mine.imageId })), "InvalidAMIID.NotFound"],
  ["image", "CreateTags", () => as.send(new CreateTagsCommand({ Resources: [mine.imageId], Tags: [{ Key: "k", Value: "v" }] })), "InvalidAMIID.NotFound"],
  ["image", "DescribeGuest", () => extension("DescribeGuest", { ImageId: mine.imageId }), "InvalidAMIID.NotFound"],
  ["image", "ExplainLaunch", () => extension("ExplainLaunch", { ImageId: mine.imageId, InstanceType: "m5.large" }), "InvalidAMIID.NotFound"],
  ["image", "StartImageConversion", () => extension("StartImageConversion", { SourceImageId: mine.imageId, Name: "stolen" }), "InvalidAMIID.NotFound"],

  ["snapshot", "DescribeSnapshots", () => as.send(new DescribeSnapshotsCommand({ SnapshotIds: [mine.snapshotId] })), "InvalidSnapshot.NotFound"],
  ["snapshot", "DeleteSnapshot", () => as.send(new DeleteSnapshotCommand({ SnapshotId: mine.snapshotId })), "InvalidSnapshot.NotFound"],
  [
    "snapshot",
    "CopySnapshot",
    () => as.send(new CopySnapshotCommand({ SourceSnapshotId: mine.snapshotId, SourceRegion: "us-east-1" })),
    "InvalidSnapshot.NotFound",
  ],
  ["snapshot", "CreateVolume", () => as.send(new CreateVolumeCommand({ AvailabilityZone: zone, SnapshotId: mine.snapshotId })), "InvalidSnapshot.NotFound"],
  [
    "snapshot",
    "CreateTags",
    () => as.send(new CreateTagsCommand({ Resources: [mine.snapshotId], Tags: [{ Key: "k", Value: "v" }] })),
    "InvalidSnapshot.NotFound",
  ],
  [
    "snapshot",
    "RegisterImage",
    () =>
      as.send(
        new RegisterImageCommand({
          Name: "stolen-disk",
          Architecture: "x86_64",
          VirtualizationType: "hvm",
          RootDeviceName: "/dev/xvda",
          BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: mine.snapshotId } }],
        }),
      ),
    "InvalidSnapshot.NotFound",
  ],
  [
    "snapshot",
    "RunInstances (extra device)",
    () => as.send(launch({ BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { SnapshotId: mine.snapshotId } }] })),
    "InvalidSnapshot.NotFound",
  ],
  [
    "snapshot",
    "RunInstances (the image's root device)",
    () => as.send(launch({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: mine.snapshotId } }] })),
    "InvalidSnapshot.NotFound",
  ],
  [
    "snapshot",
    "RunInstances (the root device, an id that never existed)",
    () => as.send(launch({ BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: "snap-0123456789abcdef0" } }] })),
    "InvalidSnapshot.NotFound",
  ],
  ["snapshot", "DescribeGuest", () => extension("DescribeGuest", { SnapshotId: mine.snapshotId }), "InvalidSnapshot.NotFound"],

  ["volume", "DescribeVolumes", () => as.send(new DescribeVolumesCommand({ VolumeIds: [mine.volumeId] })), "InvalidVolume.NotFound"],
  ["volume", "DescribeVolumesModifications", () => as.send(new DescribeVolumesModificationsCommand({ VolumeIds: [mine.volumeId] })), "InvalidVolume.NotFound"],
  ["volume", "ModifyVolume", () => as.send(new ModifyVolumeCommand({ VolumeId: mine.volumeId, Size: 20 })), "InvalidVolume.NotFound"],
  ["volume", "DeleteVolume", () => as.send(new DeleteVolumeCommand({ VolumeId: mine.volumeId })), "InvalidVolume.NotFound"],
  [
    "volume",
    "AttachVolume (to B's instance)",
    () => as.send(new AttachVolumeCommand({ VolumeId: mine.volumeId, InstanceId: mine.bInstanceId, Device: "/dev/sdf" })),
    "InvalidVolume.NotFound",
  ],
  ["volume", "DetachVolume", () => as.send(new DetachVolumeCommand({ VolumeId: mine.volumeId })), "InvalidVolume.NotFound"],
  ["volume", "CreateSnapshot", () => as.send(new CreateSnapshotCommand({ VolumeId: mine.volumeId })), "InvalidVolume.NotFound"],
  ["volume", "CreateTags", () => as.send(new CreateTagsCommand({ Resources: [mine.volumeId], Tags: [{ Key: "k", Value: "v" }] })), "InvalidVolume.NotFound"],
  ["volume", "DescribeGuest", () => extension("DescribeGuest", { VolumeId: mine.volumeId }), "InvalidVolume.NotFound"],

  ["instance", "DescribeInstances", () => as.send(new DescribeInstancesCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  ["instance", "DescribeInstanceStatus", () => as.send(new DescribeInstanceStatusCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  [
    "instance",
    "DescribeInstanceAttribute",
    () => as.send(new DescribeInstanceAttributeCommand({ InstanceId: mine.instanceId, Attribute: "instanceType" })),
    "InvalidInstanceID.NotFound",
  ],
  [
    "instance",
    "ModifyInstanceAttribute",
    () => as.send(new ModifyInstanceAttributeCommand({ InstanceId: mine.instanceId, DisableApiTermination: { Value: true } })),
    "InvalidInstanceID.NotFound",
  ],
  ["instance", "GetConsoleOutput", () => as.send(new GetConsoleOutputCommand({ InstanceId: mine.instanceId })), "InvalidInstanceID.NotFound"],
  ["instance", "StopInstances", () => as.send(new StopInstancesCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  ["instance", "StartInstances", () => as.send(new StartInstancesCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  ["instance", "RebootInstances", () => as.send(new RebootInstancesCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  ["instance", "TerminateInstances", () => as.send(new TerminateInstancesCommand({ InstanceIds: [mine.instanceId] })), "InvalidInstanceID.NotFound"],
  ["instance", "CreateImage", () => as.send(new CreateImageCommand({ InstanceId: mine.instanceId, Name: "stolen" })), "InvalidInstanceID.NotFound"],
  [
    "instance",
    "AttachVolume (B's volume)",
    () => as.send(new AttachVolumeCommand({ VolumeId: mine.bVolumeId, InstanceId: mine.instanceId, Device: "/dev/sdf" })),
    "InvalidInstanceID.NotFound",
  ],
  [
    "instance",
    "CreateTags",
    () => as.send(new CreateTagsCommand({ Resources: [mine.instanceId], Tags: [{ Key: "k", Value: "v" }] })),
    "InvalidInstanceID.NotFound",
  ],

  ["dedicated host", "DescribeHosts", () => as.send(new DescribeHostsCommand({ HostIds: [mine.hostId] })), "InvalidHostID.NotFound"],
  [
    "dedicated host",
    "RunInstances",
    () => as.send(launch({ Placement: { AvailabilityZone: zone, Tenancy: "host", HostId: mine.hostId } })),
    "InvalidHostID.NotFound",
  ],
  [
    "dedicated host",
    "CreateTags",
    () => as.send(new CreateTagsCommand({ Resources: [mine.hostId], Tags: [{ Key: "k", Value: "v" }] })),
    "InvalidHostID.NotFound",
  ],
  [
    "dedicated host",
    "ExplainLaunch",
    () => extension("ExplainLaunch", { ImageId: mine.publicImageId, InstanceType: "m5.large", Tenancy: "host", HostId: mine.hostId }),
    "InvalidHostID.NotFound",
  ],

  [
    "placement group",
    "DescribePlacementGroups",
    () => as.send(new DescribePlacementGroupsCommand({ GroupNames: [mine.groupName] })),
    "InvalidPlacementGroup.Unknown",
  ],
  ["placement group", "DeletePlacementGroup", () => as.send(new DeletePlacementGroupCommand({ GroupName: mine.groupName })), "InvalidPlacementGroup.Unknown"],
  [
    "placement group",
    "RunInstances",
    () => as.send(launch({ Placement: { AvailabilityZone: zone, GroupName: mine.groupName } })),
    "InvalidPlacementGroup.Unknown",
  ],

  ["key pair", "DescribeKeyPairs", () => as.send(new DescribeKeyPairsCommand({ KeyNames: [mine.keyName] })), "InvalidKeyPair.NotFound"],
  ["key pair", "RunInstances", () => as.send(launch({ KeyName: mine.keyName })), "InvalidKeyPair.NotFound"],
];

const dryRunTable = () => table(dryRunningB(), (action, params) => extensionAsB(action, { ...params, DryRun: "true" }));

describe("another account's resource, named by id", () => {
  // The table is built inside the test: the ids exist only once beforeAll has run.
  it.each(table().map((row, index) => [row[0], row[1], index] as const))("%s × %s -> EC2's NotFound code", async (_resource, _operation, index) => {
    const [, , call, code] = table()[index]!;
    const error = await call().then(
      () => undefined,
      (caught: { name?: string; $metadata?: { httpStatusCode?: number } }) => caught,
    );
    expect(error, "the call must be refused").toBeDefined();
    expect(error!.name).toBe(code);
  });

  // Under DryRun, each operation that takes one answers the same code: the check runs before DryRunOperation would.
  const dryRunnable = (operation: string) => {
    const name = operation.split(" ")[0]!;
    return [ec2ServiceModel(), extensionServiceModel()].some((model) => {
      const input = model.operations[name]?.input?.shape;
      return input !== undefined && "DryRun" in (shapeOf(model, { shape: input }).members ?? {});
    });
  };
  it.each(
    table()
      .map((row, index) => [row[0], row[1], index] as const)
      .filter(([, operation]) => dryRunnable(operation)),
  )("%s × %s under DryRun -> the same code", async (_resource, _operation, index) => {
    const [, , call, code] = dryRunTable()[index]!;
    const error = await call().then(
      () => undefined,
      (caught: { name?: string }) => caught,
    );
    expect(error?.name).toBe(code);
  });

  it("dry-runs through that client: B's own volume's DeleteVolume answers DryRunOperation and the volume stays", async () => {
    const answered = await dryRunningB()
      .send(new DeleteVolumeCommand({ VolumeId: mine.bVolumeId }))
      .catch((caught: { name?: string }) => caught);
    expect((answered as { name?: string }).name).toBe("DryRunOperation");
    expect((await b.send(new DescribeVolumesCommand({ VolumeIds: [mine.bVolumeId] }))).Volumes).toHaveLength(1);
  });

  it("leaves every one of A's resources as it was", async () => {
    const [image] = (await a.send(new DescribeImagesCommand({ ImageIds: [mine.imageId] }))).Images!;
    expect(image).toMatchObject({ State: "available", Name: "a-private-image" });
    expect(image!.Description ?? "").not.toBe("mine now");
    expect(image!.Tags ?? []).toEqual([]);
    const [snapshot] = (await a.send(new DescribeSnapshotsCommand({ SnapshotIds: [mine.snapshotId] }))).Snapshots!;
    expect(snapshot!.Tags ?? []).toEqual([]);
    const [volume] = (await a.send(new DescribeVolumesCommand({ VolumeIds: [mine.volumeId] }))).Volumes!;
    expect(volume).toMatchObject({ Size: 8, State: "available", Attachments: [] });
    const [reservation] = (await a.send(new DescribeInstancesCommand({ InstanceIds: [mine.instanceId] }))).Reservations!;
    expect(reservation!.Instances![0]).toMatchObject({ State: { Name: "running" } });
    expect(reservation!.Instances![0]!.Tags ?? []).toEqual([]);
    const termination = await a.send(new DescribeInstanceAttributeCommand({ InstanceId: mine.instanceId, Attribute: "disableApiTermination" }));
    expect(termination.DisableApiTermination?.Value).toBe(false);
    expect((await a.send(new DescribeHostsCommand({ HostIds: [mine.hostId] }))).Hosts![0]).toMatchObject({ State: "available" });
    expect((await a.send(new DescribePlacementGroupsCommand({ GroupNames: [mine.groupName] }))).PlacementGroups).toHaveLength(1);
    expect((await a.send(new DescribeKeyPairsCommand({ KeyNames: [mine.keyName] }))).KeyPairs).toHaveLength(1);
  });
});

describe("the shared fleet", () => {
  it("shows B that a server is another account's Dedicated Host, and its instances, without their ids", async () => {
    const fleetAs = async (credentials?: Credentials) => {
      const response = await rawRequest(server.url, {
        params: { Action: "DescribeFleet", Version: "2026-11-22", AvailabilityZone: zone },
        ...(credentials ? { credentials } : {}),
      });
      const items = response.xml.DescribeFleetResponse.serverSet.item;
      return (Array.isArray(items) ? items : [items]) as Array<Record<string, unknown>>;
    };
    const aView = await fleetAs();
    const hostServer = aView.find((s) => s.dedicatedHostId === mine.hostId);
    expect(hostServer, "A sees its own host by id").toBeDefined();
    const bView = await fleetAs(stranger);
    const sameServer = bView.find((s) => s.serverId === hostServer!.serverId)!;
    expect(sameServer.dedicatedHost).toBe(true);
    expect(sameServer.dedicatedHostId).toBeUndefined();
    const bText = JSON.stringify(bView);
    for (const id of [mine.hostId, mine.instanceId]) expect(bText).not.toContain(id);
  });
});

describe("operations EC2 answers with success whatever the id (nothing of A's may change)", () => {
  it("DeleteKeyPair of A's key name answers 200 to B, and A's key stays", async () => {
    await b.send(new DeleteKeyPairCommand({ KeyName: mine.keyName }));
    const { KeyPairs } = await a.send(new DescribeKeyPairsCommand({ KeyNames: [mine.keyName] }));
    expect(KeyPairs!.map((pair) => pair.KeyName)).toEqual([mine.keyName]);
  });

  it("ReleaseHosts and ModifyHosts of A's host are Unsuccessful for B, naming InvalidHostID.NotFound, and the host stays A's", async () => {
    const released = await b.send(new ReleaseHostsCommand({ HostIds: [mine.hostId] }));
    expect(released.Successful ?? []).toEqual([]);
    expect(released.Unsuccessful![0]).toMatchObject({ ResourceId: mine.hostId, Error: { Code: "InvalidHostID.NotFound" } });
    const modified = await b.send(new ModifyHostsCommand({ HostIds: [mine.hostId], AutoPlacement: "on" }));
    expect(modified.Successful ?? []).toEqual([]);
    expect(modified.Unsuccessful![0]).toMatchObject({ ResourceId: mine.hostId, Error: { Code: "InvalidHostID.NotFound" } });
    expect((await a.send(new DescribeHostsCommand({ HostIds: [mine.hostId] }))).Hosts![0]).toMatchObject({ State: "available", AutoPlacement: "off" });
  });
});
