// Root volumes at the store: built from an image, created and attached inside the caller's transaction (all or
// nothing), then released at termination as TerminateInstances does: deleted, or detached when it should outlive it.
import { DeleteVolumeCommand, DescribeImagesCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zeroDelays } from "../../src/domain/delays.js";
import { newId } from "../../src/domain/ids.js";
import type { Image } from "../../src/domain/images.js";
import { rootVolumeFromImage } from "../../src/domain/root-volume.js";
import { findSnapshot } from "../../src/store/snapshots-repo.js";
import { attachVolume, insertVolume, releaseInstanceVolumes, volumesOfInstance } from "../../src/store/volumes-repo.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let al2: Image;
const scope = { accountId: "000000000000", region: "us-east-1" };

beforeAll(async () => {
  server = await startTestServer();
  const image = (await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["amzn2-ami-hvm-2.0.20190313-x86_64-gp2"] }] }))).Images![0]!;
  al2 = { imageId: image.ImageId!, rootDeviceName: image.RootDeviceName!, blockDeviceMappings: image.BlockDeviceMappings as Image["blockDeviceMappings"] } as Image;
});
afterAll(() => server.stop());

async function rootVolume(instanceId: string, override?: { VolumeSize?: number; DeleteOnTermination?: boolean }) {
  const snapshot = (await findSnapshot(server.store.prisma, "us-east-1", al2.blockDeviceMappings[0]!.Ebs!.SnapshotId!))!;
  return rootVolumeFromImage({ volumeId: newId("vol"), instanceId, ...scope, availabilityZone: "us-east-1a", image: al2, rootSnapshot: snapshot, override, now: new Date(), delays: zeroDelays });
}

describe("root volumes", () => {
  it("are created attached inside the caller's transaction, with the snapshot's guest", async () => {
    const instanceId = newId("i");
    const volume = await rootVolume(instanceId, { VolumeSize: 20 });
    await server.store.prisma.$transaction(async (tx) => insertVolume(tx, volume));
    const described = (await server.ec2().send(new DescribeVolumesCommand({ VolumeIds: [volume.volumeId] }))).Volumes![0]!;
    expect(described).toMatchObject({ State: "in-use", Size: 20, SnapshotId: al2.blockDeviceMappings[0]!.Ebs!.SnapshotId, Attachments: [{ InstanceId: instanceId, Device: "/dev/xvda", State: "attached", DeleteOnTermination: true }] });
    expect(volume.guest?.os.distribution).toBe("Amazon Linux");
    expect((await volumesOfInstance(server.store.prisma, scope, instanceId, new Date())).map((v) => v.volumeId)).toEqual([volume.volumeId]);
    // Attached once: a second attach is refused by the conditional update.
    expect(await attachVolume(server.store.prisma, scope, volume.volumeId, { instanceId: newId("i"), device: "/dev/sdf", attachTime: new Date(), attachedAt: new Date(), deleteOnTermination: false })).toBe(false);
  });

  it("leave nothing behind when the instance's transaction fails", async () => {
    const volume = await rootVolume(newId("i"));
    await expect(
      server.store.prisma.$transaction(async (tx) => {
        await insertVolume(tx, volume);
        throw new Error("the instance insert failed");
      }),
    ).rejects.toThrow("the instance insert failed");
    expect(await server.store.prisma.volume.count({ where: { volumeId: volume.volumeId } })).toBe(0);
  });

  it("may not be smaller than the root snapshot", async () => {
    await expect(rootVolume(newId("i"), { VolumeSize: 4 })).rejects.toMatchObject({ code: "InvalidBlockDeviceMapping", message: expect.stringContaining("expect size >= 8GB") });
  });

  it("are deleted at termination, and kept (detached) when DeleteOnTermination is false", async () => {
    const instanceId = newId("i");
    const root = await rootVolume(instanceId);
    const kept = await rootVolume(instanceId, { DeleteOnTermination: false });
    await server.store.prisma.$transaction(async (tx) => {
      await insertVolume(tx, root);
      await insertVolume(tx, { ...kept, attachment: { ...kept.attachment!, device: "/dev/sdf" } });
    });
    await expect(server.ec2().send(new DeleteVolumeCommand({ VolumeId: kept.volumeId }))).rejects.toMatchObject({ name: "VolumeInUse" });
    const released = await server.store.sql.write(() => releaseInstanceVolumes(server.store.sql, scope, instanceId, new Date()));
    expect(released).toEqual({ deleted: [root.volumeId], detached: [kept.volumeId] });
    const { Volumes } = await server.ec2().send(new DescribeVolumesCommand({ Filters: [{ Name: "volume-id", Values: [root.volumeId, kept.volumeId] }] }));
    expect(Volumes).toMatchObject([{ VolumeId: kept.volumeId, State: "available", Attachments: [] }]);
    await server.ec2().send(new DeleteVolumeCommand({ VolumeId: kept.volumeId }));
  });
});
