// GetInstanceUefiData: the UEFI variable store of an instance that boots with UEFI. mini-ec2 runs no firmware, so the
// store never changes after launch: it is the UefiData its image was registered with, else an empty store.
import type { Caller } from "../domain/caller.js";
import { Errors } from "../domain/errors.js";
import { emptyUefiVarStore } from "../domain/uefi.js";
import type { ImagesRepo } from "../store/images-repo.js";
import type { InstanceService } from "./instances.js";

export class InstanceUefiDataService {
  constructor(
    private readonly instances: InstanceService,
    private readonly images: ImagesRepo,
  ) {}

  async uefiData(caller: Caller, instanceId: string): Promise<string> {
    const instance = await this.instances.getOne(caller, instanceId);
    if (instance.bootMode !== "uefi") throw Errors.notUefiInstance(instance.instanceId);
    // The image as registered, even if its owner has since stopped sharing it; once deregistered, the store is empty.
    const image = await this.images.find(caller.region, instance.imageId);
    return image?.uefiData ?? emptyUefiVarStore();
  }
}
