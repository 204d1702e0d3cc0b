// CreateImage: an AMI of an instance's EBS volumes. Each attached volume is snapshotted (the root one freezes the
// guest it holds now), and the image takes the instance's virtualization type, architecture, kernel (PV), ENA and
// SR-IOV flags and boot mode. Image and snapshots are stored in one transaction; the image is pending until its
// snapshots complete.
import { instanceDevices } from "../domain/attachments.js";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import type { Delays } from "../domain/delays.js";
import { Errors } from "../domain/errors.js";
import { newId } from "../domain/ids.js";
import { type BlockDeviceMapping, type Image, privateMachineImage, validateImageName } from "../domain/images.js";
import { currentState } from "../domain/instances.js";
import { newSnapshot, type Snapshot } from "../domain/snapshots.js";
import type { Tag } from "../domain/tags.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { InstanceService } from "./instances.js";

export interface CreateImageInput {
  instanceId: string;
  name: string;
  description?: string;
  noReboot?: boolean;
  blockDeviceMappings: BlockDeviceMapping[];
  imageTags: Tag[];
  snapshotTags: Tag[];
}

export class CreateImageService {
  constructor(
    private readonly images: ImagesRepo,
    private readonly instances: InstanceService,
    private readonly clock: Clock,
    private readonly delays: Delays,
  ) {}

  async create(caller: Caller, input: CreateImageInput): Promise<Image> {
    validateImageName(input.name);
    const instance = await this.instances.getOne(caller, input.instanceId);
    const now = this.clock.now();
    const state = currentState(instance, now);
    if (state !== "running" && state !== "stopped") {
      throw Errors.incorrectInstanceState(instance.instanceId, state, "imaged (running or stopped)");
    }
    // With their guest models: the instance as described carries its volumes without them.
    const volumes = new Map((await this.instances.attachedVolumes(caller, instance)).map((volume) => [volume.volumeId, volume]));
    const devices = instanceDevices(instance, now).filter((device) => device.Ebs.Status !== "detaching");
    if (!devices.some((device) => device.DeviceName === instance.rootDeviceName)) {
      throw Errors.invalidParameterValue(
        `The instance '${instance.instanceId}' has no volume attached at its root device ${instance.rootDeviceName}. Attach one before creating an image.`,
      );
    }
    const imageId = newId("ami");
    const completesAt = new Date(now.getTime() + this.delays.snapshotCompleteMs);
    const snapshots: Snapshot[] = [];
    const mappings: BlockDeviceMapping[] = [];
    for (const device of devices) {
      const override = input.blockDeviceMappings.find((m) => m.DeviceName === device.DeviceName);
      if (override?.NoDevice !== undefined) {
        if (device.DeviceName === instance.rootDeviceName) throw Errors.invalidBlockDeviceMapping("The root device cannot be suppressed with NoDevice.");
        continue;
      }
      const volume = volumes.get(device.Ebs.VolumeId)!;
      const size = override?.Ebs?.VolumeSize ?? volume.size;
      if (size < volume.size)
        throw Errors.invalidBlockDeviceMapping(`Volume of size ${size}GB is smaller than the volume ${volume.volumeId} (${volume.size}GB) it is made from.`);
      const snapshot = newSnapshot(
        caller,
        {
          volumeId: volume.volumeId,
          volumeSize: volume.size,
          description: `Created by CreateImage(${instance.instanceId}) for ${imageId} from ${volume.volumeId}`,
          encrypted: volume.encrypted,
          guest: volume.guest,
        },
        { startTime: now, completesAt },
      );
      snapshots.push(snapshot);
      mappings.push({
        DeviceName: device.DeviceName,
        Ebs: {
          SnapshotId: snapshot.snapshotId,
          VolumeSize: size,
          VolumeType: override?.Ebs?.VolumeType ?? volume.volumeType,
          DeleteOnTermination: override?.Ebs?.DeleteOnTermination ?? device.Ebs.DeleteOnTermination,
          Encrypted: volume.encrypted,
        },
      });
    }
    for (const extra of input.blockDeviceMappings.filter((m) => !devices.some((d) => d.DeviceName === m.DeviceName) && m.NoDevice === undefined)) {
      if (!extra.Ebs?.VolumeSize)
        throw Errors.invalidBlockDeviceMapping(`The block device ${extra.DeviceName} is not attached to the instance; a new one needs a volume size.`);
      mappings.push({
        DeviceName: extra.DeviceName,
        Ebs: {
          VolumeSize: extra.Ebs.VolumeSize,
          VolumeType: extra.Ebs.VolumeType ?? "gp2",
          DeleteOnTermination: extra.Ebs.DeleteOnTermination ?? true,
          Encrypted: false,
        },
      });
    }
    const image = privateMachineImage(caller, {
      imageId,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      architecture: instance.architecture as Image["architecture"],
      virtualizationType: instance.virtualizationType,
      ...(instance.kernelId ? { kernelId: instance.kernelId } : {}),
      ...(instance.ramdiskId ? { ramdiskId: instance.ramdiskId } : {}),
      rootDeviceName: instance.rootDeviceName,
      blockDeviceMappings: mappings,
      enaSupport: instance.enaSupport,
      ...(instance.sriovNetSupport ? { sriovNetSupport: instance.sriovNetSupport } : {}),
      ...(instance.virtualizationType === "hvm" ? { bootMode: instance.bootMode } : {}),
      ...(instance.platform ? { platform: instance.platform } : {}),
      createdAt: now,
      // Available once its snapshots are complete.
      availableAt: new Date(Math.max(completesAt.getTime(), now.getTime() + this.delays.imageAvailableMs)),
      tags: input.imageTags,
    });
    if ((await this.images.insert(image, snapshots, input.snapshotTags)) === "duplicate") {
      throw Errors.amiNameDuplicate(input.name, (await this.images.findByName(caller.accountId, caller.region, input.name)) ?? "another image");
    }
    return image;
  }
}
