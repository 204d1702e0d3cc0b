// RegisterImage, DescribeImages, CreateImage, CopyImage (DeregisterImage: api/deregister-image.ts).
import type {
  CopyImageRequest,
  CopyImageResult,
  CreateImageRequest,
  CreateImageResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  Image as ImageInfo,
  RegisterImageRequest,
  RegisterImageResult,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { type BlockDeviceMapping, billingOf, type Image, imageState } from "../domain/images.js";
import { tagsByResourceType, tagsFromSpecifications } from "../domain/tags.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { CopyImageService } from "../services/copy-image.js";
import type { CreateImageService } from "../services/create-image.js";
import type { ImageService } from "../services/images.js";
import { refusedCopyImageMembers, refusedRegisterImageMembers, refuseMembers } from "./refused-members.js";

export function imageOperations(images: ImageService, copies: CopyImageService, creator: CreateImageService, clock: Clock): OperationTable {
  return {
    RegisterImage: operation<RegisterImageRequest, RegisterImageResult>({
      validate(input) {
        refuseMembers("RegisterImage", input, refusedRegisterImageMembers);
        // An image's mappings keep no key (only volumes do): refused rather than dropped.
        if (input.BlockDeviceMappings?.some((mapping) => mapping.Ebs?.KmsKeyId !== undefined)) {
          throw Errors.unsupportedParameter(
            "RegisterImage",
            "BlockDeviceMapping.N.Ebs.KmsKeyId",
            "an image's block device mappings keep no KMS key here; encrypt the snapshot instead",
          );
        }
        tagsFromSpecifications(input.TagSpecifications, "image");
      },
      async handle(input, caller) {
        const image = await images.register(caller, {
          name: input.Name!,
          description: input.Description,
          architecture: input.Architecture,
          virtualizationType: input.VirtualizationType as Image["virtualizationType"] | undefined,
          rootDeviceName: input.RootDeviceName,
          blockDeviceMappings: (input.BlockDeviceMappings ?? []) as BlockDeviceMapping[],
          kernelId: input.KernelId,
          ramdiskId: input.RamdiskId,
          enaSupport: input.EnaSupport,
          sriovNetSupport: input.SriovNetSupport,
          bootMode: input.BootMode,
          uefiData: input.UefiData,
          imageLocation: input.ImageLocation,
          tags: tagsFromSpecifications(input.TagSpecifications, "image"),
        });
        return { ImageId: image.imageId };
      },
    }),

    DescribeImages: operation<DescribeImagesRequest, DescribeImagesResult>({
      async handle(input, caller) {
        const page = await images.describe(
          caller,
          {
            imageIds: input.ImageIds,
            owners: input.Owners,
            executableUsers: input.ExecutableUsers,
            filters: input.Filters,
          },
          input,
        );
        const now = clock.now();
        return { Images: page.items.map((image) => imageInfo(image, now)), NextToken: page.nextToken };
      },
    }),

    CopyImage: operation<CopyImageRequest, CopyImageResult>({
      validate(input) {
        refuseMembers("CopyImage", input, refusedCopyImageMembers);
        tagsByResourceType(input.TagSpecifications, ["image", "snapshot"]);
        if (input.KmsKeyId !== undefined)
          throw Errors.unsupportedOperation("CopyImage with KmsKeyId (mini-ec2 models no KMS keys); Encrypted=true uses the default key");
        if (input.DestinationOutpostArn !== undefined || input.DestinationAvailabilityZone !== undefined || input.DestinationAvailabilityZoneId !== undefined) {
          throw Errors.unsupportedOperation("CopyImage to an Outpost or a Local Zone (mini-ec2 copies between regions)");
        }
      },
      async handle(input, caller) {
        const tags = tagsByResourceType(input.TagSpecifications, ["image", "snapshot"]);
        const imageId = await copies.copy(caller, {
          sourceRegion: input.SourceRegion!,
          sourceImageId: input.SourceImageId!,
          name: input.Name!,
          description: input.Description,
          clientToken: input.ClientToken,
          encrypted: input.Encrypted,
          copyImageTags: input.CopyImageTags,
          imageTags: tags.image,
          snapshotTags: tags.snapshot,
        });
        return { ImageId: imageId };
      },
    }),

    CreateImage: operation<CreateImageRequest, CreateImageResult>({
      validate(input) {
        tagsByResourceType(input.TagSpecifications, ["image", "snapshot"]);
        if (input.SnapshotLocation === "local") throw Errors.unsupportedOperation("CreateImage with SnapshotLocation local (Outposts)");
      },
      async handle(input, caller) {
        const tags = tagsByResourceType(input.TagSpecifications, ["image", "snapshot"]);
        const image = await creator.create(caller, {
          instanceId: input.InstanceId!,
          name: input.Name!,
          description: input.Description,
          noReboot: input.NoReboot,
          blockDeviceMappings: (input.BlockDeviceMappings ?? []) as BlockDeviceMapping[],
          imageTags: tags.image,
          snapshotTags: tags.snapshot,
        });
        return { ImageId: image.imageId };
      },
    }),
  };
}

function imageInfo(image: Image, now: Date): ImageInfo {
  const billing = billingOf(image);
  return {
    ImageId: image.imageId,
    ImageLocation: `${image.ownerAlias ?? image.accountId}/${image.name}`,
    State: imageState(image, now),
    OwnerId: image.accountId,
    CreationDate: image.createdAt.toISOString(),
    Public: image.public,
    Architecture: image.architecture,
    ImageType: image.imageType,
    KernelId: image.kernelId,
    RamdiskId: image.ramdiskId,
    // EC2 sends "windows" in lower case; the SDK's enum spells it "Windows".
    Platform: image.platform as ImageInfo["Platform"],
    PlatformDetails: billing.platformDetails,
    UsageOperation: billing.usageOperation,
    BlockDeviceMappings: image.blockDeviceMappings as ImageInfo["BlockDeviceMappings"],
    Description: image.description,
    EnaSupport: image.enaSupport,
    Hypervisor: "xen",
    ImageOwnerAlias: image.ownerAlias,
    Name: image.name,
    RootDeviceName: image.rootDeviceName,
    RootDeviceType: image.rootDeviceType,
    SriovNetSupport: image.sriovNetSupport,
    Tags: image.tags,
    VirtualizationType: image.virtualizationType,
    BootMode: image.bootMode,
    SourceImageId: image.sourceImageId,
    SourceImageRegion: image.sourceRegion,
  };
}
