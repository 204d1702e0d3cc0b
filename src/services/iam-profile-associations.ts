// AssociateIamInstanceProfile, ReplaceIamInstanceProfileAssociation, DisassociateIamInstanceProfile and
// DescribeIamInstanceProfileAssociations over the profile each instance keeps in its options (domain/instance-options.ts).
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import { applyFilters, type Filter } from "../domain/filters.js";
import { associationOf, type ProfileAssociation, profileAssociationFilters } from "../domain/iam-profile-associations.js";
import { instanceProfile } from "../domain/instance-options.js";
import { currentState, type Instance } from "../domain/instances.js";
import type { InstanceService } from "./instances.js";

export class IamProfileAssociationService {
  constructor(
    private readonly instances: InstanceService,
    private readonly clock: Clock,
  ) {}

  /** The caller's associations (of instances not terminated), or exactly these ids, that match the filters. */
  async describe(caller: Caller, associationIds: readonly string[] = [], filters?: readonly Filter[]): Promise<ProfileAssociation[]> {
    const all = await this.all(caller);
    const missing = associationIds.find((id) => !all.some((a) => a.associationId === id));
    if (missing) throw Errors.associationNotFound(missing);
    const named = associationIds.length > 0 ? all.filter((a) => associationIds.includes(a.associationId)) : all;
    return applyFilters(named, filters, profileAssociationFilters);
  }

  /** EC2 associates a profile with a running or stopped instance that has none. */
  async associate(caller: Caller, instanceId: string, requested: { arn?: string; name?: string }): Promise<ProfileAssociation> {
    const instance = await this.instances.getOne(caller, instanceId);
    const state = currentState(instance, this.clock.now());
    if (state !== "running" && state !== "stopped") throw Errors.incorrectInstanceState(instanceId, state, "associated with an instance profile");
    if (instance.options.iamInstanceProfile) throw Errors.incorrectState(`There is an existing association for instance ${instanceId}`);
    return this.setProfile(caller, instance, requested);
  }

  async replace(caller: Caller, associationId: string, requested: { arn?: string; name?: string }): Promise<ProfileAssociation> {
    return this.setProfile(caller, await this.instanceOf(caller, associationId), requested);
  }

  async disassociate(caller: Caller, associationId: string): Promise<ProfileAssociation> {
    const instance = await this.instanceOf(caller, associationId);
    const association = associationOf(instance)!;
    await this.instances.changeOptions(caller, instance.instanceId, () => ({ iamInstanceProfile: undefined }));
    return { ...association, state: "disassociating" };
  }

  private async setProfile(caller: Caller, instance: Instance, requested: { arn?: string; name?: string }): Promise<ProfileAssociation> {
    const now = this.clock.now();
    const profile = { ...instanceProfile(requested, caller.accountId), associatedAt: now.toISOString() };
    const options = await this.instances.changeOptions(caller, instance.instanceId, () => ({ iamInstanceProfile: profile }));
    return { ...associationOf({ ...instance, options })!, state: "associating" };
  }

  private async instanceOf(caller: Caller, associationId: string): Promise<Instance> {
    const instanceId = (await this.all(caller)).find((a) => a.associationId === associationId)?.instanceId;
    if (!instanceId) throw Errors.associationNotFound(associationId);
    return this.instances.getOne(caller, instanceId);
  }

  private async all(caller: Caller): Promise<ProfileAssociation[]> {
    const now = this.clock.now();
    const { instances } = await this.instances.scan(caller, {
      want: Number.MAX_SAFE_INTEGER,
      // The instance's own row answers it: its linked rows are read only for the instances with a profile.
      acceptRow: (instance) => instance.options.iamInstanceProfile !== undefined && currentState(instance, now) !== "terminated",
    });
    return instances.flatMap((instance) => associationOf(instance) ?? []);
  }
}
