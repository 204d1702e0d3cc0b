// SetInstanceWorkload: the caller describes what an instance's guest does, for the simulations that read it.
import type { Caller } from "../domain/caller.js";
import type { VirtualClock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { currentState } from "../domain/instances.js";
import type { InstanceWorkload, WorkloadChange } from "../domain/workload.js";
import type { WorkloadsRepo } from "../store/workloads-repo.js";
import type { InstanceService } from "./instances.js";

export class WorkloadService {
  constructor(
    private readonly workloads: WorkloadsRepo,
    private readonly instances: InstanceService,
    private readonly clock: VirtualClock,
  ) {}

  /** The caller's instance's workload after the change; another account's instance does not exist here. */
  async set(caller: Caller, instanceId: string, change: WorkloadChange): Promise<InstanceWorkload> {
    const instance = await this.instances.getOne(caller, instanceId);
    const now = this.clock.now();
    const state = currentState(instance, now);
    if (state === "terminated" || state === "shutting-down") throw Errors.incorrectInstanceState(instanceId, state, "given a workload");
    return this.workloads.change(caller, instanceId, change, now);
  }

  async get(caller: Caller, instanceId: string): Promise<InstanceWorkload> {
    await this.instances.getOne(caller, instanceId);
    return this.workloads.get(caller, instanceId);
  }
}
