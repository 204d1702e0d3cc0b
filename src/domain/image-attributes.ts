// DescribeImageAttribute and ModifyImageAttribute: which attribute a request names, in the current form
// (LaunchPermission.Add/Remove, Description.Value) or the legacy one (Attribute with OperationType, UserId.N,
// UserGroup.N or Value), who may read or change it, and what a launch-permission change leaves behind.
import { Errors } from "./errors.js";
import type { Image } from "./images.js";

export interface LaunchPermissionItem {
  UserId?: string;
  Group?: string;
  OrganizationArn?: string;
  OrganizationalUnitArn?: string;
}

/** The members of EC2's ModifyImageAttributeRequest this file reads (the SDK's type, narrowed). */
export interface ModifyImageAttributeInput {
  Attribute?: string;
  Description?: { Value?: string };
  LaunchPermission?: { Add?: LaunchPermissionItem[]; Remove?: LaunchPermissionItem[] };
  OperationType?: string;
  UserIds?: string[];
  UserGroups?: string[];
  Value?: string;
  ProductCodes?: string[];
  OrganizationArns?: string[];
  OrganizationalUnitArns?: string[];
  ImdsSupport?: { Value?: string };
}

export interface LaunchPermissionChange {
  addUserIds: string[];
  removeUserIds: string[];
  addAll: boolean;
  removeAll: boolean;
}

export type ImageAttributeChange =
  | { attribute: "launchPermission"; change: LaunchPermissionChange }
  | { attribute: "description"; value: string }
  | { attribute: "sriovNetSupport"; value: "simple" };

const modifiable = ["description", "launchPermission", "sriovNetSupport"] as const;

/** The one attribute a ModifyImageAttribute request changes, checked; EC2's error for anything else. */
export function imageAttributeChange(input: ModifyImageAttributeInput): ImageAttributeChange {
  if (input.OrganizationArns?.length || input.OrganizationalUnitArns?.length || hasOrganizationItem(input.LaunchPermission)) {
    throw Errors.unsupportedOperation(
      "ModifyImageAttribute with OrganizationArn or OrganizationalUnitArn (mini-ec2 models no AWS Organizations); share with account ids",
    );
  }
  if (input.ProductCodes?.length) throw Errors.invalidParameterValue("AWS Marketplace product codes cannot be added to an image.");
  if (input.ImdsSupport !== undefined || input.Attribute === "imdsSupport") {
    throw Errors.unsupportedOperation("ModifyImageAttribute with imdsSupport (mini-ec2 does not model instance metadata options yet)");
  }
  const named = new Set<string>();
  if (input.Attribute !== undefined) named.add(input.Attribute);
  if (input.Description !== undefined) named.add("description");
  if (input.LaunchPermission !== undefined || input.OperationType !== undefined || input.UserIds?.length || input.UserGroups?.length) {
    named.add("launchPermission");
  }
  if (named.size === 0) throw Errors.invalidParameterCombination("No attributes specified.");
  if (named.size > 1) {
    throw Errors.invalidParameterCombination(`You can modify only one attribute at a time, not ${[...named].join(" and ")}.`);
  }
  const attribute = [...named][0]!;
  if (!(modifiable as readonly string[]).includes(attribute)) {
    throw Errors.invalidParameterValue(
      `Invalid value '${attribute}' for Attribute. ModifyImageAttribute changes ${modifiable.join(", ")}; describe the image for the others.`,
    );
  }
  if (attribute === "launchPermission") {
    if (input.Value !== undefined)
      throw Errors.invalidParameterCombination(
        "Value cannot be used with launchPermission: use OperationType with UserId.N or UserGroup.N, or LaunchPermission.Add/Remove.",
      );
    return { attribute, change: launchPermissionChange(input) };
  }
  const value = attribute === "description" ? (input.Description?.Value ?? input.Value) : input.Value;
  if (value === undefined) throw Errors.missingParameter(attribute === "description" ? "Description.Value" : "Value");
  if (attribute === "description") return { attribute, value };
  if (value !== "simple") throw Errors.invalidSriovNetSupport(value);
  return { attribute: "sriovNetSupport", value };
}

function hasOrganizationItem(permission: ModifyImageAttributeInput["LaunchPermission"]): boolean {
  return [...(permission?.Add ?? []), ...(permission?.Remove ?? [])].some((item) => item.OrganizationArn || item.OrganizationalUnitArn);
}

function launchPermissionChange(input: ModifyImageAttributeInput): LaunchPermissionChange {
  const change: LaunchPermissionChange = { addUserIds: [], removeUserIds: [], addAll: false, removeAll: false };
  const put = (operation: "add" | "remove", item: LaunchPermissionItem) => {
    if ((item.UserId === undefined) === (item.Group === undefined)) {
      throw Errors.invalidParameterCombination("Each launch permission names exactly one of UserId and Group.");
    }
    if (item.UserId !== undefined) {
      if (!/^\d{12}$/.test(item.UserId)) throw Errors.amiAttributeItemValue("userId", item.UserId);
      (operation === "add" ? change.addUserIds : change.removeUserIds).push(item.UserId);
    } else {
      if (item.Group !== "all") throw Errors.amiAttributeItemValue("group", item.Group!);
      change[operation === "add" ? "addAll" : "removeAll"] = true;
    }
  };
  for (const item of input.LaunchPermission?.Add ?? []) put("add", item);
  for (const item of input.LaunchPermission?.Remove ?? []) put("remove", item);

  const legacyItems = [...(input.UserIds ?? []).map((UserId) => ({ UserId })), ...(input.UserGroups ?? []).map((Group) => ({ Group }))];
  if (input.OperationType === undefined && legacyItems.length > 0) throw Errors.missingParameter("OperationType");
  if (input.OperationType !== undefined) {
    if (legacyItems.length === 0) throw Errors.missingParameter("UserId.N or UserGroup.N");
    for (const item of legacyItems) put(input.OperationType as "add" | "remove", item);
  }
  if (!change.addAll && !change.removeAll && change.addUserIds.length === 0 && change.removeUserIds.length === 0) {
    throw Errors.missingParameter("LaunchPermission.Add.N or LaunchPermission.Remove.N");
  }
  return change;
}

/** EC2's rules for who may read an attribute: launch permissions are the owner's; the block device mapping nobody's. */
export function checkMayDescribe(image: Pick<Image, "imageId" | "accountId">, attribute: string, accountId: string): void {
  if (attribute === "blockDeviceMapping") {
    throw Errors.restrictedResource("The blockDeviceMapping attribute is deprecated: describe-images shows an image's block device mappings.");
  }
  if (attribute === "launchPermission" && image.accountId !== accountId) throw Errors.notAuthorizedForImage(image.imageId);
}

/** Only the owner changes an image; SriovNetSupport, like at registration, only on HVM. */
export function checkMayModify(image: Pick<Image, "imageId" | "accountId" | "virtualizationType">, change: ImageAttributeChange, accountId: string): void {
  if (image.accountId !== accountId) throw Errors.notAuthorizedForImage(image.imageId);
  if (change.attribute === "sriovNetSupport" && image.virtualizationType !== "hvm") {
    throw Errors.invalidParameterCombination(
      `Enhanced networking (SriovNetSupport) is supported only for HVM AMIs, and '${image.imageId}' is paravirtual: instances launched from it could become unreachable.`,
    );
  }
}
