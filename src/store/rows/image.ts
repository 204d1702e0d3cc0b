// The Image table's one codec. blockDeviceMappings is EC2's BlockDeviceMapping list as JSON; the launch
// permissions are rows of ImageLaunchPermission, read and written with the image.
import type { BlockDeviceMapping, Image } from "../../domain/images.js";
import type { Image as ImageRow } from "../generated/client.js";
import { SqliteColumns } from "./columns.js";

export type ImageWithPermissions = ImageRow & { launchPermissions: Array<{ accountId: string }> };

export const imageColumns = new SqliteColumns<ImageRow>("Image", {
  dates: { createdAt: true, availableAt: true },
  booleans: { public: true, enaSupport: true },
});

/** Prisma's create input: the row (absent optional fields stay NULL), and the permission rows made with it. */
export function imageToRow(image: Image) {
  const { tags: _tags, launchPermissions, blockDeviceMappings, ...rest } = image;
  return {
    ...rest,
    blockDeviceMappings: JSON.stringify(blockDeviceMappings),
    launchPermissions: { create: launchPermissions.map((accountId) => ({ accountId })) },
  };
}

export function imageFromRow(row: ImageWithPermissions, tags: Image["tags"]): Image {
  const { launchPermissions, blockDeviceMappings, ...rest } = row;
  return {
    ...(Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)) as unknown as Omit<Image, "launchPermissions" | "blockDeviceMappings" | "tags">),
    blockDeviceMappings: JSON.parse(blockDeviceMappings) as BlockDeviceMapping[],
    launchPermissions: launchPermissions.map((p) => p.accountId),
    tags,
  };
}
