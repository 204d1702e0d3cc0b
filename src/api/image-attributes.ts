// DescribeImageAttribute, ModifyImageAttribute, ResetImageAttribute.
import type {
  DescribeImageAttributeRequest,
  ImageAttribute,
  LaunchPermission,
  ModifyImageAttributeRequest,
  ResetImageAttributeRequest,
} from "@aws-sdk/client-ec2";
import type { Image } from "../domain/images.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { ImageAttributeService } from "../services/image-attributes.js";

export function imageAttributeOperations(attributes: ImageAttributeService): OperationTable {
  return {
    DescribeImageAttribute: operation<DescribeImageAttributeRequest, ImageAttribute>({
      async handle(input, caller) {
        const image = await attributes.describe(caller, input.ImageId!, input.Attribute!);
        return { ImageId: image.imageId, ...attributeValue(image, input.Attribute!) };
      },
    }),

    ModifyImageAttribute: operation<ModifyImageAttributeRequest, Record<string, never>>({
      async validate(input, caller) {
        await attributes.check(caller, input.ImageId!, input);
      },
      async handle(input, caller) {
        await attributes.modify(caller, input.ImageId!, input);
        return {};
      },
    }),

    // The model's only value is launchPermission, so the parser has refused any other.
    ResetImageAttribute: operation<ResetImageAttributeRequest, Record<string, never>>({
      async handle(input, caller) {
        await attributes.resetLaunchPermissions(caller, input.ImageId!);
        return {};
      },
    }),
  };
}

/** One attribute in EC2's shape: a list, or `<name><value>…</value></name>` (empty when the image has none). */
function attributeValue(image: Image, attribute: string): Partial<ImageAttribute> {
  const value = (text: string | undefined) => (text === undefined ? {} : { Value: text });
  switch (attribute) {
    case "launchPermission": {
      const permissions: LaunchPermission[] = [...(image.public ? [{ Group: "all" as const }] : []), ...image.launchPermissions.map((UserId) => ({ UserId }))];
      return { LaunchPermissions: permissions };
    }
    case "productCodes":
      return { ProductCodes: [] };
    case "description":
      return { Description: value(image.description) };
    case "kernel":
      return { KernelId: value(image.kernelId) };
    case "ramdisk":
      return { RamdiskId: value(image.ramdiskId) };
    case "sriovNetSupport":
      return { SriovNetSupport: value(image.sriovNetSupport) };
    case "bootMode":
      return { BootMode: value(image.bootMode) };
    // No instance has been launched from any image yet (RunInstances is not implemented).
    case "lastLaunchedTime":
      return { LastLaunchedTime: {} };
    case "deregistrationProtection":
      return { DeregistrationProtection: value("disabled") };
    case "tpmSupport":
      return { TpmSupport: {} };
    case "uefiData":
      return { UefiData: value(image.uefiData) };
    case "imdsSupport":
      return { ImdsSupport: {} };
    default:
      return {};
  }
}
