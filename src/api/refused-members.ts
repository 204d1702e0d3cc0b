// Members of an operation's model that mini-ec2 does not honour: refused by name rather than accepted and dropped,
// so a script never believes a setting took effect (RunInstances' list is in run-instances-members.ts).
import { Errors } from "../domain/errors.js";

/** Refuses the first member of `refused` the input carries, with why mini-ec2 does not take it. */
export function refuseMembers(operation: string, input: object, refused: Readonly<Record<string, string>>): void {
  const members = input as Record<string, unknown>;
  for (const [name, why] of Object.entries(refused)) {
    if (members[name] !== undefined) throw Errors.unsupportedParameter(operation, name, why);
  }
}

const outposts = "mini-ec2 models no Outposts";
const timeBasedCopy = "time-based copies are not modelled; copies complete after mini-ec2's copy delay";

export const refusedRegisterImageMembers = {
  TpmSupport: "NitroTPM is not modelled, so an image cannot ask for it",
  ImdsSupport: "images keep no IMDS default here; set MetadataOptions.HttpTokens=required at RunInstances",
  BillingProducts: "mini-ec2 models no billing products",
};

export const refusedCreateVolumeMembers = {
  OutpostArn: outposts,
  Operator: "mini-ec2 models no managed resources",
  VolumeInitializationRate: "volume initialization is not modelled; a volume from a snapshot is fully initialized when available",
};

export const refusedCopySnapshotMembers = {
  DestinationOutpostArn: outposts,
  CompletionDurationMinutes: timeBasedCopy,
  DestinationAvailabilityZone: "Local Zone snapshots are not modelled",
};

export const refusedCopyImageMembers = { SnapshotCopyCompletionDurationMinutes: timeBasedCopy };
