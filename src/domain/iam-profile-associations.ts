// IAM instance profile associations (DescribeIamInstanceProfileAssociations and the three calls that change them):
// an instance's profile, kept in its options, seen as EC2's association object. There is no IAM to wait for, so a
// change is answered associating (or disassociating) and reads associated at once, as metadata options do.
import { createHash } from "node:crypto";
import type { FilterSpec } from "./filters.js";
import type { Instance } from "./instances.js";

export interface ProfileAssociation {
  associationId: string;
  instanceId: string;
  profile: { arn: string; id: string };
  state: "associating" | "associated" | "disassociating";
  timestamp: Date;
}

/** Stable for an instance and a profile, in EC2's form (iip-assoc- and 17 hex digits): a replaced profile gets a new one. */
export function associationIdOf(instanceId: string, profileArn: string): string {
  return `iip-assoc-${createHash("sha256").update(`${instanceId} ${profileArn}`).digest("hex").slice(0, 17)}`;
}

/** The instance's association, when it has a profile. */
export function associationOf(instance: Pick<Instance, "instanceId" | "launchTime" | "options">): ProfileAssociation | undefined {
  const profile = instance.options.iamInstanceProfile;
  if (!profile) return undefined;
  return {
    associationId: associationIdOf(instance.instanceId, profile.arn),
    instanceId: instance.instanceId,
    profile: { arn: profile.arn, id: profile.id },
    state: "associated",
    timestamp: profile.associatedAt ? new Date(profile.associatedAt) : instance.launchTime,
  };
}

export const profileAssociationFilters: FilterSpec<ProfileAssociation> = {
  fields: {
    "instance-id": (a) => a.instanceId,
    state: (a) => a.state,
  },
};
