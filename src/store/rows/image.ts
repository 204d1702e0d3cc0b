// The Image table's one codec. blockDeviceMappings is EC2's BlockDeviceMapping list as JSON; the launch
// permissions are rows of ImageLaunchPermission, read and written with the image (on the synchronous connection as
// one column: their account ids joined by commas, which no account id contains).
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

/** The nullable columns: an image has the field only when the column is not NULL. */
const optionalColumns = [
  "ownerAlias",
  "description",
  "kernelId",
  "ramdiskId",
  "rootDeviceName",
  "sriovNetSupport",
  "bootMode",
  "uefiData",
  "platform",
  "sourceImageId",
  "sourceRegion",
  "clientToken",
] as const satisfies ReadonlyArray<{ [K in keyof ImageRow]: null extends ImageRow[K] ? K : never }[keyof ImageRow]>;

export const allImageColumns = Object.keys(imageColumnKinds()) as Array<keyof ImageRow>;
/** Every column but the variable store (uefiData, up to 64 KB): what a listing reads; DescribeImageAttribute reads it by id. */
export const listedImageColumns = allImageColumns.filter((column) => column !== "uefiData");

/** Each column once, checked against the generated row type: a column added to the schema must be listed here. */
function imageColumnKinds(): Record<keyof ImageRow, true> {
  return {
    imageId: true,
    accountId: true,
    region: true,
    ownerAlias: true,
    name: true,
    description: true,
    public: true,
    imageType: true,
    architecture: true,
    virtualizationType: true,
    kernelId: true,
    ramdiskId: true,
    rootDeviceName: true,
    rootDeviceType: true,
    blockDeviceMappings: true,
    enaSupport: true,
    sriovNetSupport: true,
    bootMode: true,
    uefiData: true,
    platform: true,
    createdAt: true,
    availableAt: true,
    sourceImageId: true,
    sourceRegion: true,
    clientToken: true,
  };
}

/** A row as the synchronous connection reads it: SQLite's own values, the permissions as one comma-joined column. */
export type SqliteImageRow = { [K in keyof ImageRow]: ImageRow[K] extends Date ? string : ImageRow[K] extends boolean ? number : ImageRow[K] } & {
  launchPermissions: string | null;
};

/**
 * An image from the synchronous connection, field by field (the generic Prisma-shaped decoding above walked every
 * entry of every row: most of DescribeImages' time over thousands of images). Columns a query left out stay out.
 */
export function imageFromSqlite(row: SqliteImageRow, tags: Image["tags"]): Image {
  const image: Image = {
    imageId: row.imageId,
    accountId: row.accountId,
    region: row.region,
    name: row.name,
    public: row.public === 1,
    imageType: row.imageType as Image["imageType"],
    architecture: row.architecture as Image["architecture"],
    virtualizationType: row.virtualizationType as Image["virtualizationType"],
    rootDeviceType: row.rootDeviceType as Image["rootDeviceType"],
    blockDeviceMappings: JSON.parse(row.blockDeviceMappings) as BlockDeviceMapping[],
    enaSupport: row.enaSupport === 1,
    createdAt: new Date(row.createdAt),
    availableAt: new Date(row.availableAt),
    launchPermissions: row.launchPermissions ? row.launchPermissions.split(",") : [],
    tags,
  };
  const optional = image as unknown as Record<string, unknown>;
  for (const column of optionalColumns) {
    const value = row[column];
    if (value !== null && value !== undefined) optional[column] = value;
  }
  return image;
}
