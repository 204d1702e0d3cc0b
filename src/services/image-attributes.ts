// DescribeImageAttribute and ModifyImageAttribute: find the image the caller may see, check what the caller may
// read or change, and apply one attribute change (launch permissions, description, SriovNetSupport).
import type { Caller } from "../domain/caller.js";
import { checkMayDescribe, checkMayModify, imageAttributeChange, type ModifyImageAttributeInput } from "../domain/image-attributes.js";
import type { Image } from "../domain/images.js";
import type { ImagesRepo } from "../store/images-repo.js";
import { visibleImage } from "./images.js";

export class ImageAttributeService {
  constructor(private readonly repo: ImagesRepo) {}

  /** The image, once the caller may read this attribute of it. */
  async describe(caller: Caller, imageId: string, attribute: string): Promise<Image> {
    const image = await visibleImage(this.repo, caller, imageId);
    checkMayDescribe(image, attribute, caller.accountId);
    return image;
  }

  /** Checks the request without changing anything (DryRun runs this too). */
  async check(caller: Caller, imageId: string, input: ModifyImageAttributeInput) {
    const change = imageAttributeChange(input);
    checkMayModify(await visibleImage(this.repo, caller, imageId), change, caller.accountId);
    return change;
  }

  /** ResetImageAttribute (launchPermission, the only attribute EC2 resets): the image becomes private to its owner. */
  async resetLaunchPermissions(caller: Caller, imageId: string): Promise<void> {
    const image = await visibleImage(this.repo, caller, imageId);
    const change = { addUserIds: [], removeUserIds: image.launchPermissions, addAll: false, removeAll: true };
    checkMayModify(image, { attribute: "launchPermission", change }, caller.accountId);
    await this.repo.changeLaunchPermissions(caller.region, imageId, change);
  }

  async modify(caller: Caller, imageId: string, input: ModifyImageAttributeInput): Promise<void> {
    const change = await this.check(caller, imageId, input);
    switch (change.attribute) {
      case "launchPermission":
        return this.repo.changeLaunchPermissions(caller.region, imageId, change.change);
      case "description":
        return this.repo.updateAttributes(caller.region, imageId, { description: change.value });
      case "sriovNetSupport":
        return this.repo.updateAttributes(caller.region, imageId, { sriovNetSupport: change.value });
    }
  }
}
