// GetInstanceUefiData through the SDK: a UEFI instance's variable store in AWS's format (its image's UefiData, or
// an empty store), EC2's refusal for a BIOS instance, and RegisterImage's checks of UefiData.
import { inflateSync } from "node:zlib";
import {
  type _InstanceType,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  GetInstanceUefiDataCommand,
  RegisterImageCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { crc32c } from "../../src/domain/uefi.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const ec2 = () => shared.server.ec2();
let rootSnapshot: string;
beforeAll(async () => {
  const { Images } = await ec2().send(new DescribeImagesCommand({ ImageIds: [shared.images.al2Ena] }));
  rootSnapshot = Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
});

/** A store in AWS's format whose zlib stream is stored rather than compressed: valid, and unlike the empty default. */
function customStore(): string {
  const body = Buffer.concat([Buffer.alloc(4), Buffer.from([0x78, 0x01, 0x01, 0x08, 0x00, 0xf7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x01])]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(body));
  return Buffer.concat([Buffer.from("AMZNUEFI"), crc, body]).toString("base64");
}

const register = (Name: string, extra: object) =>
  ec2().send(
    new RegisterImageCommand({
      Name,
      Architecture: "x86_64",
      VirtualizationType: "hvm",
      EnaSupport: true,
      RootDeviceName: "/dev/xvda",
      BlockDeviceMappings: [{ DeviceName: "/dev/xvda", Ebs: { SnapshotId: rootSnapshot } }],
      ...extra,
    }),
  );
const launch = async (ImageId: string, InstanceType: _InstanceType) =>
  (await ec2().send(new RunInstancesCommand({ ImageId, InstanceType, MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
const uefiDataOf = (InstanceId: string) => ec2().send(new GetInstanceUefiDataCommand({ InstanceId }));

describe("GetInstanceUefiData", () => {
  it("returns an empty store in AWS's format for a UEFI instance of an image registered without UefiData", async () => {
    const instanceId = await launch(shared.images.al2023Arm, "m6g.medium");
    const { InstanceId, UefiData } = await uefiDataOf(instanceId);
    expect(InstanceId).toBe(instanceId);
    const bytes = Buffer.from(UefiData!, "base64");
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("AMZNUEFI");
    expect(bytes.readUInt32LE(8)).toBe(crc32c(bytes.subarray(12)));
    expect(bytes.readUInt32LE(12)).toBe(0);
    // Zero variables: a little-endian 64-bit count of 0.
    expect(inflateSync(bytes.subarray(16))).toEqual(Buffer.alloc(8));
  });

  it("returns the UefiData the image was registered with, which DescribeImageAttribute shows too", async () => {
    const store = customStore();
    const { ImageId } = await register("uefi-with-store", { BootMode: "uefi", UefiData: store });
    const attribute = await ec2().send(new DescribeImageAttributeCommand({ ImageId, Attribute: "uefiData" }));
    expect(attribute.UefiData).toEqual({ Value: store });
    expect((await uefiDataOf(await launch(ImageId!, "m5.large"))).UefiData).toBe(store);
  });

  it("refuses a BIOS instance and an unknown one", async () => {
    const biosInstance = await launch(shared.images.al2Ena, "m5.large");
    await expect(uefiDataOf(biosInstance)).rejects.toMatchObject({ name: "UnsupportedOperation", message: expect.stringContaining("legacy BIOS") });
    await expect(uefiDataOf("i-0123456789abcdef0")).rejects.toMatchObject({ name: "InvalidInstanceID.NotFound" });
  });
});

describe("RegisterImage UefiData", () => {
  it("is refused for a BIOS image and when it is not a store in AWS's format", async () => {
    await expect(register("uefi-bios", { BootMode: "legacy-bios", UefiData: customStore() })).rejects.toMatchObject({ name: "InvalidParameterCombination" });
    await expect(register("uefi-junk", { BootMode: "uefi", UefiData: "bm90IGEgc3RvcmU=" })).rejects.toMatchObject({ name: "InvalidParameterValue" });
    const corrupted = Buffer.from(customStore(), "base64");
    corrupted.writeUInt8(corrupted.readUInt8(20) ^ 0xff, 20);
    await expect(register("uefi-corrupt", { BootMode: "uefi", UefiData: corrupted.toString("base64") })).rejects.toMatchObject({
      name: "InvalidParameterValue",
    });
  });
});
