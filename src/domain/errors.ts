// EC2's errors: a code string exactly as EC2 sends it, and a message a person can act on. One factory per code,
// so that every place that raises a code words it the same way. Only src/protocol/ renders them.

export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Only where EC2 sends one code with different statuses (AuthFailure: 401 for credentials, 400 for an image). */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "Ec2Error";
  }
}

export const Errors = {
  // --- request and parameters ---
  invalidAction: (action: string) => new Ec2Error("InvalidAction", `The action ${action} is not valid for this web service.`),
  unsupportedOperation: (action: string) =>
    new Ec2Error(
      "Unsupported",
      `The operation ${action} is part of the EC2 API, but mini-ec2 does not implement it yet. ` + `See docs/operations.md for the operations it implements.`,
    ),
  noSuchVersion: (version: string, service: string) => new Ec2Error("NoSuchVersion", `The requested version (${version}) of service ${service} does not exist`),
  missingParameter: (name: string) => new Ec2Error("MissingParameter", `The request must contain the parameter ${name}`),
  unknownParameter: (name: string) => new Ec2Error("UnknownParameter", `The parameter ${name} is not recognized`),
  invalidParameterValue: (message: string) => new Ec2Error("InvalidParameterValue", message),
  /** EC2's own wording, spaces inside the parentheses and all. */
  valueTooSmall: (param: string, raw: string | number, min: number) =>
    new Ec2Error("InvalidParameterValue", `Value ( ${raw} ) for parameter ${param} is invalid. Expecting a value greater than ${min}.`),
  valueTooLarge: (param: string, raw: string | number, max: number) =>
    new Ec2Error("InvalidParameterValue", `Value ( ${raw} ) for parameter ${param} is invalid. Expecting a value smaller than or equal to ${max}.`),
  invalidParameterCombination: (message: string) => new Ec2Error("InvalidParameterCombination", message),
  /** The Query protocol's (STS) range check, worded as botocore's validator words it. */
  validationError: (param: string, raw: string, constraint: string) =>
    new Ec2Error(
      "ValidationError",
      `1 validation error detected: Value '${raw}' at '${param}' failed to satisfy constraint: Member must have value ${constraint}`,
    ),
  invalidHttpRequest: (reason: string) => new Ec2Error("InvalidHttpRequest", `The HTTP request is invalid. Reason: ${reason}`),
  notQueryPath: (path: string) => new Ec2Error("InvalidAction", `mini-ec2 answers the EC2 Query API at path '/', not '${path}'.`),
  /** The stack is logged, never sent. */
  internalError: (detail?: string) => new Ec2Error("InternalError", detail ? `An internal error has occurred. ${detail}` : "An internal error has occurred."),
  malformedQueryString: (detail: string) => new Ec2Error("MalformedQueryString", detail),
  requestTooLarge: (limitBytes: number) => new Ec2Error("RequestEntityTooLarge", `The request body is larger than ${limitBytes} bytes.`),
  invalidPaginationToken: (token: string) =>
    new Ec2Error("InvalidPaginationToken", `The pagination token '${token}' is invalid. Pass the nextToken of a previous response unchanged.`),
  filterValueTooLong: (limit: number) => new Ec2Error("FilterLimitExceeded", `The maximum length for a filter value is ${limit} characters`),
  /** Plain-string members EC2 treats as enums; `param` as EC2 names it (virtualizationType). */
  invalidEnumValue: (param: string, raw: string, valid: readonly string[]) =>
    new Ec2Error("InvalidParameterValue", `Invalid value '${raw}' for ${param}. Valid values: ${valid.join(", ")}.`),
  tooManyListItems: (param: string, count: number, max: number) =>
    new Ec2Error("InvalidParameterValue", `The request names ${count} items in ${param}; at most ${max} are accepted in one call.`),
  /** EC2's own text, its misspelling included. */
  instanceIdsOverLimit: (count: number, max: number) =>
    new Ec2Error(
      "InvalidRequest",
      `${count} exceeds the maximum number of instance IDs that can be specificied (${max}). Please specify fewer than ${max} instance IDs.`,
    ),
  filterLimitExceeded: (limit: number) => new Ec2Error("FilterLimitExceeded", `The maximum number of filter values specified on a single call is ${limit}`),
  // EC2's words only: the filters each operation takes are listed in docs/filters.md.
  invalidFilter: (name: string) => new Ec2Error("InvalidParameterValue", `The filter '${name}' is invalid`),
  dryRunOperation: () => new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set."),

  // --- authentication ---
  missingAuthenticationToken: () =>
    new Ec2Error(
      "MissingAuthenticationToken",
      "Request is missing Authentication Token. Sign it with AWS Signature Version 4 (any AWS SDK or CLI does), " +
        "for example with access key 'test' and secret 'test'.",
    ),
  authFailure: (detail = "AWS was not able to validate the provided access credentials") => new Ec2Error("AuthFailure", detail),
  signatureDoesNotMatch: (detail?: string) =>
    new Ec2Error(
      "SignatureDoesNotMatch",
      detail ??
        "The request signature we calculated does not match the signature you provided. " +
          "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ),
  incompleteSignature: (detail: string) => new Ec2Error("IncompleteSignature", detail),
  requestExpired: (detail: string) => new Ec2Error("RequestExpired", detail),
  expiredToken: () => new Ec2Error("ExpiredToken", "The security token included in the request is expired. Call GetSessionToken again for new credentials."),
  invalidToken: () => new Ec2Error("AuthFailure", "AWS was not able to validate the provided access credentials: the security token is invalid."),
  accessDenied: (detail: string) => new Ec2Error("AccessDenied", detail),

  // --- regions and zones ---
  invalidRegionNames: (names: readonly string[]) => new Ec2Error("InvalidParameterValue", `Invalid region: [${names.join(", ")}]`),
  invalidAvailabilityZones: (names: readonly string[]) => new Ec2Error("InvalidParameterValue", `Invalid availability zone: [${names.join(", ")}]`),
  invalidZoneIds: (ids: readonly string[]) => new Ec2Error("InvalidParameterValue", `Invalid availability zone ID: [${ids.join(", ")}]`),

  // --- catalog ---
  invalidInstanceTypes: (names: readonly string[]) =>
    new Ec2Error("InvalidInstanceType", `The following supplied instance types do not exist: [${names.join(", ")}]`),

  // --- images and snapshots ---
  amiNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? new Ec2Error("InvalidAMIID.NotFound", `The image id '[${ids[0]}]' does not exist`)
      : new Ec2Error("InvalidAMIID.NotFound", `The image ids '[${ids.join(", ")}]' do not exist`),
  amiMalformed: (id: string) => new Ec2Error("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`),
  invalidAmiNameMalformed: (detail: string) => new Ec2Error("InvalidAMIName.Malformed", detail),
  amiNameDuplicate: (name: string, imageId: string) => new Ec2Error("InvalidAMIName.Duplicate", `AMI name ${name} is already in use by AMI ${imageId}`),
  amiUnavailable: (imageId: string) =>
    new Ec2Error(
      "InvalidAMIID.Unavailable",
      `The image '${imageId}' is pending. Wait until it is available: aws ec2 wait image-available --image-ids ${imageId}`,
    ),
  snapshotNotFound: (id: string) => new Ec2Error("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist.`),
  snapshotMalformed: (id: string) => new Ec2Error("InvalidSnapshot.Malformed", `Invalid id: "${id}" (expecting "snap-...")`),
  invalidSriovNetSupport: (value: string) => new Ec2Error("InvalidParameterValue", `Invalid value '${value}' for SriovNetSupport. The only value is 'simple'.`),
  invalidBlockDeviceMapping: (detail: string) => new Ec2Error("InvalidBlockDeviceMapping", detail),
  invalidUserId: (value: string, expected = "Owners are self, amazon, aws-marketplace, aws-backup-vault or a 12-digit account id.") =>
    new Ec2Error("InvalidUserID.Malformed", `Invalid user id: "${value}". ${expected}`),
  /** EC2's answer when the caller may see an image but the operation is its owner's (HTTP 400, unlike bad credentials). */
  notSnapshotOwner: (snapshotId: string, ownerId: string) =>
    new Ec2Error("UnauthorizedOperation", `You are not authorized to perform this operation: ${snapshotId} belongs to account ${ownerId}.`),
  notAuthorizedForImage: (imageId: string) => new Ec2Error("AuthFailure", `Not authorized for image:${imageId}`, 400),
  restrictedResource: (detail: string) => new Ec2Error("AuthFailure", `Unauthorized attempt to access restricted resource. ${detail}`, 400),
  amiAttributeItemValue: (itemType: "userId" | "group", value: string) =>
    new Ec2Error("InvalidAMIAttributeItemValue", `Invalid attribute item value "${value}" for ${itemType} item type.`),
  idempotentParameterMismatch: (token: string) =>
    new Ec2Error(
      "IdempotentParameterMismatch",
      `The client token '${token}' was already used with different parameters. Use a new ClientToken for a different request.`,
    ),
  incorrectImageState: (imageId: string, state: string, wanted: string) =>
    new Ec2Error("IncorrectState", `The image '${imageId}' is ${state}; it must be ${wanted}.`),
  invalidId: (id: string) => new Ec2Error("InvalidID", `The ID '${id}' is not valid`),

  snapshotInUse: (snapshotId: string, imageId: string) => new Ec2Error("InvalidSnapshot.InUse", `The snapshot ${snapshotId} is currently in use by ${imageId}`),

  ramdiskMalformed: (ramdiskId: string) =>
    new Ec2Error(
      "InvalidRamDiskId.Malformed",
      `The specified RAM disk ID '${ramdiskId}' is not valid. Ensure that you specify the RAM disk ID in the form ari-xxxxxxxx.`,
    ),
  ramdiskOnHvm: () =>
    new Ec2Error(
      "InvalidParameterCombination",
      "A ramdisk image applies only to paravirtual instances: an HVM instance boots from its own disk. Drop --ramdisk-id.",
    ),
  ramdiskWithPvGrub: () => new Ec2Error("InvalidParameterCombination", "You can't specify an Amazon ramdisk image (ARI) when using a PV-GRUB AKI."),
  notPvGrubKernel: (kernelId: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `The image '${kernelId}' is not a PV-GRUB kernel image (AKI). Find one with: describe-images --owners amazon --filters Name=name,Values=pv-grub-*`,
    ),
  /** EC2's wording names the image; at RegisterImage the image has no id yet, so the message says why instead. */
  kernelArchitectureMismatch: (kernelId: string, kernelArchitecture: string, image: { imageId?: string; architecture: string }) =>
    new Ec2Error(
      "InvalidParameterCombination",
      image.imageId
        ? `The kernel image '${kernelId}' is ${kernelArchitecture}, but the image '${image.imageId}' is ${image.architecture}. Use the ${image.architecture} PV-GRUB AKI.`
        : `The kernel image '${kernelId}' is ${kernelArchitecture}, but the image is ${image.architecture}: 64-bit PV-GRUB cannot start a 32-bit kernel, nor the reverse. Use the ${image.architecture} PV-GRUB AKI.`,
    ),

  // --- volumes ---
  volumeNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? new Ec2Error("InvalidVolume.NotFound", `The volume '${ids[0]}' does not exist.`)
      : new Ec2Error("InvalidVolume.NotFound", `The volumes '${ids.join(", ")}' do not exist.`),
  volumeMalformed: (id: string) => new Ec2Error("InvalidVolume.Malformed", `Invalid id: "${id}" (expecting "vol-...")`),
  volumeZoneMismatch: (volumeId: string, instanceId: string) =>
    new Ec2Error("InvalidVolume.ZoneMismatch", `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`),
  volumeAlreadyAttached: (volumeId: string, instanceId?: string) =>
    new Ec2Error("VolumeInUse", `${volumeId} is already attached to an instance${instanceId ? ` (${instanceId})` : ""}. Detach it first.`),
  attachmentNotFound: (volumeId: string, asked: { instanceId?: string; device?: string }, actual: { instanceId: string; device: string }) =>
    new Ec2Error(
      "InvalidAttachment.NotFound",
      `The volume '${volumeId}' is not attached to ${asked.instanceId ? `instance '${asked.instanceId}'` : ""}${asked.instanceId && asked.device ? " at " : ""}${asked.device ? `device '${asked.device}'` : ""}: it is attached to '${actual.instanceId}' at ${actual.device}.`,
    ),
  rootVolumeInUse: (volumeId: string, instanceId: string, state: string) =>
    new Ec2Error(
      "OperationNotPermitted",
      `Unable to detach root volume '${volumeId}' from instance '${instanceId}': the instance is ${state}. Stop the instance first.`,
    ),
  zoneNotFound: (zone: string) => new Ec2Error("InvalidZone.NotFound", `The zone '${zone}' does not exist.`),
  volumeInUse: (volumeId: string, instanceId: string) =>
    new Ec2Error("VolumeInUse", `Volume ${volumeId} is currently attached to ${instanceId}. Detach it (detach-volume) before deleting it.`),
  incorrectState: (message: string) => new Ec2Error("IncorrectState", message),
  // Multi-Attach: EC2's codes for these are unconfirmed; docs/decisions.md "EBS Multi-Attach" gives the choice.
  multiAttachVolumeType: (volumeType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `Multi-Attach is supported only for io1 and io2 volumes, not ${volumeType}. Use VolumeType io1 or io2, or leave MultiAttachEnabled out.`,
    ),
  multiAttachModifyType: (volumeId: string, volumeType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `Multi-Attach can be enabled or disabled after creation on io2 volumes only; volume ${volumeId} would be ${volumeType}. Modify it to io2 first, or create the volume with MultiAttachEnabled.`,
    ),
  multiAttachModifyAttached: (volumeId: string, instanceIds: readonly string[]) =>
    new Ec2Error(
      "IncorrectState",
      `Multi-Attach cannot be enabled or disabled while volume ${volumeId} is attached (to ${instanceIds.join(", ")}). Detach it from every instance first.`,
    ),
  multiAttachNitroOnly: (volumeId: string, instanceId: string, instanceType: string) =>
    new Ec2Error(
      "UnsupportedOperation",
      `The Multi-Attach enabled volume ${volumeId} can be attached only to instances built on the Nitro System; ${instanceId} is a ${instanceType} (Xen). Use a Nitro-based instance type.`,
    ),
  multiAttachLimit: (volumeId: string, limit: number) =>
    new Ec2Error(
      "AttachmentLimitExceeded",
      `The Multi-Attach enabled volume ${volumeId} is already attached to ${limit} instances, the most it can be attached to. Detach it from one first.`,
    ),
  multiAttachDetachNeedsInstance: (volumeId: string) =>
    new Ec2Error(
      "MissingParameter",
      `The request must contain the parameter InstanceId: volume ${volumeId} is Multi-Attach enabled, so say which instance to detach it from.`,
    ),
  incorrectModificationState: (volumeId: string) =>
    new Ec2Error("IncorrectModificationState", `Volume ${volumeId} is already being modified. Wait until describe-volumes-modifications shows it completed.`),
  volumeModificationNotFound: (volumeId: string) => new Ec2Error("InvalidVolumeModification.NotFound", `Modification for volume '${volumeId}' does not exist.`),

  // --- key pairs ---
  keyPairNotFound: (name: string) => new Ec2Error("InvalidKeyPair.NotFound", `The key pair '${name}' does not exist`),
  keyPairIdNotFound: (id: string) => new Ec2Error("InvalidKeyPair.NotFound", `The key pair ID '${id}' does not exist`),
  keyPairDuplicate: (name: string) => new Ec2Error("InvalidKeyPair.Duplicate", `The keypair '${name}' already exists.`),
  keyPairFormat: (detail: string) => new Ec2Error("InvalidKeyPair.Format", detail),

  // --- instances ---
  instanceNotFound: (ids: readonly string[]) =>
    ids.length === 1
      ? new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${ids[0]}' does not exist`)
      : new Ec2Error("InvalidInstanceID.NotFound", `The instance IDs '${ids.join(", ")}' do not exist`),
  instanceMalformed: (id: string) => new Ec2Error("InvalidInstanceID.Malformed", `Invalid id: "${id}"`),
  incorrectInstanceState: (instanceId: string, state: string, verb: string) =>
    new Ec2Error("IncorrectInstanceState", `The instance '${instanceId}' is not in a state from which it can be ${verb}. It is ${state}.`),
  notStopped: (instanceId: string) => new Ec2Error("IncorrectInstanceState", `The instance '${instanceId}' is not in the 'stopped' state.`),
  neverRunning: (instanceId: string) =>
    new Ec2Error("IncorrectInstanceState", `Instance '${instanceId}' cannot be stopped as it has never reached the 'running' state.`),
  noRootVolume: (instanceId: string, device: string) =>
    new Ec2Error(
      "IncorrectInstanceState",
      `The instance '${instanceId}' has no EBS volume attached at its root device ${device}. Attach one there (attach-volume --device ${device}), then start it.`,
    ),
  terminationProtected: (instanceId: string) =>
    new Ec2Error(
      "OperationNotPermitted",
      `The instance '${instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
    ),
  invalidInstanceType: (name: string) => new Ec2Error("InvalidParameterValue", `Invalid value '${name}' for InstanceType.`),
  insufficientCapacity: (instanceType: string, where: string, elsewhere: readonly string[]) =>
    new Ec2Error(
      "InsufficientInstanceCapacity",
      `We currently do not have sufficient ${instanceType} capacity in the ${where}. Our system will be working on provisioning additional capacity.` +
        (elsewhere.length
          ? ` You can currently get ${instanceType} capacity by not specifying an Availability Zone in your request or choosing ${elsewhere.join(", ")}.`
          : ""),
    ),
  notOfferedInZone: (instanceType: string, zone: string, offeredIn: readonly string[]) =>
    new Ec2Error(
      "Unsupported",
      offeredIn.length
        ? `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${zone}). Please retry your request by not specifying an Availability Zone or choosing ${offeredIn.join(", ")}.`
        : "The requested configuration is currently not supported. Please check the documentation for supported configurations.",
    ),
  invalidZone: (zone: string) => new Ec2Error("InvalidParameterValue", `Invalid availability zone: [${zone}]`),

  // --- launch compatibility (domain/launch-rules.ts): EC2's literal messages ---
  hvmRequired: (instanceType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `Virtualization type 'hvm' is required for instances of type '${instanceType}'. Ensure that you are using an AMI with virtualization type 'hvm'. For more information, see http://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html`,
    ),
  linuxHvmOnFirstGeneration: () =>
    new Ec2Error(
      "InvalidParameterCombination",
      "Non-Windows instances with a virtualization type of 'hvm' are currently not supported for this instance type.",
    ),
  /** `typeArchitectures` as EC2 prints them: 64-bit first, joined with ','. */
  architectureMismatch: (typeArchitectures: string, imageArchitecture: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `The architecture '${typeArchitectures}' of the specified instance type does not match the architecture '${imageArchitecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    ),
  /** At StartInstances EC2 names the instance, whose own attribute counts; at RunInstances the image. */
  enaRequired: (instanceType: string, instanceId?: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `Enhanced networking with the Elastic Network Adapter (ENA) is required for the '${instanceType}' instance type. ` +
        (instanceId ? `Ensure that your instance '${instanceId}' is enabled for ENA.` : "Ensure that you are using an AMI that is enabled for ENA."),
    ),
  bootModeUnsupported: (instanceType: string, bootMode: "uefi" | "legacy-bios") =>
    new Ec2Error(
      "InvalidParameterValue",
      bootMode === "uefi"
        ? `The ${instanceType} instance type does not support an AMI with a boot mode of UEFI. Only instance types built on the Nitro System support UEFI. Specify an instance type that supports UEFI, and try again.`
        : `The ${instanceType} instance type does not support an AMI with a boot mode of legacy-bios. Specify an instance type that supports legacy-bios, and try again.`,
    ),
  placementGroupsUnsupported: (instanceType: string) =>
    new Ec2Error("InvalidParameterCombination", `Placement groups may not be used with instances of type '${instanceType}'.`),
  dedicatedHostsUnsupported: (instanceType: string) =>
    new Ec2Error("InvalidParameterValue", `The instance type '${instanceType}' is not supported on Dedicated Hosts.`),
  macNeedsDedicatedHost: (instanceType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `Mac instances need a Dedicated Host: ${instanceType} cannot be launched with tenancy default. Allocate a Dedicated Host for ${instanceType} and launch onto it with tenancy host.`,
    ),
  /** `runs`: the host's type, or "<family> instances". */
  notOnThisHost: (instanceType: string, hostId: string, runs: string) =>
    new Ec2Error("InvalidParameterValue", `Instance type ${instanceType} is not supported on host ${hostId}: it runs ${runs} only.`),

  // --- placement groups ---
  placementGroupUnknown: (name: string) => new Ec2Error("InvalidPlacementGroup.Unknown", `The Placement Group '${name}' is unknown.`),
  placementGroupIdNotFound: (id: string) => new Ec2Error("InvalidPlacementGroupId.NotFound", `The Placement Group ID '${id}' does not exist.`),
  placementGroupDuplicate: (name: string) => new Ec2Error("InvalidPlacementGroup.Duplicate", `The Placement Group '${name}' already exists.`),
  placementGroupInUse: (name: string) =>
    new Ec2Error("InvalidPlacementGroup.InUse", `The placement group '${name}' is in use by instances. Terminate them first.`),

  // --- Dedicated Hosts ---
  hostMalformed: (id: string) => new Ec2Error("InvalidHostID.Malformed", `Invalid id: "${id}" (expecting "h-...")`),
  hostNotFound: (ids: readonly string[]) => new Ec2Error("InvalidHostID.NotFound", `The host ID '${ids.join(", ")}' does not exist`),
  /** Not thrown: ReleaseHosts lists it among the unsuccessful items. */
  hostOccupied: (hostId: string) =>
    new Ec2Error("Client.InvalidHost.Occupied", `Dedicated host ${hostId} has instances on it. Terminate them, then release the host.`),
  insufficientHostCapacity: (zone: string, quantity: number | undefined, what: string) =>
    new Ec2Error(
      "InsufficientHostCapacity",
      `There is not enough capacity to fulfill your Dedicated Host request. ${zone} has fewer than ${quantity} empty servers for ${what}. Reduce the number of Dedicated Hosts in your request, or try another Availability Zone.`,
    ),
  insufficientCapacityOnHost: (hostId: string) =>
    new Ec2Error("InsufficientCapacityOnHost", `Dedicated host ${hostId} has insufficient capacity to launch the instances in this request.`),
  noAutoPlacementHost: (instanceType: string, where: string) =>
    new Ec2Error(
      "InsufficientCapacityOnHost",
      `There is no Dedicated Host with auto-placement on for ${instanceType} in ${where}. Allocate one: allocate-hosts --instance-type ${instanceType} --auto-placement on --availability-zone … --quantity 1`,
    ),

  // --- conversion tasks ---
  conversionTaskNotFound: (id: string) => new Ec2Error("InvalidConversionTaskId.NotFound", `The conversion task ID '${id}' does not exist`),
  conversionTaskMalformed: (id: string) => new Ec2Error("InvalidConversionTaskId.Malformed", `Invalid id: "${id}" (expecting "import-ami-...")`),

  // --- Xen to Nitro migrations (extension; codes after the conversion tasks', docs/decisions.md "Xen to Nitro") ---
  nitroMigrationTaskNotFound: (id: string) => new Ec2Error("InvalidMigrationTaskId.NotFound", `The migration task ID '${id}' does not exist`),
  nitroMigrationTaskMalformed: (id: string) => new Ec2Error("InvalidMigrationTaskId.Malformed", `Invalid id: "${id}" (expecting "nitro-mig-...")`),
  nitroMigrationOperationType: (value: string) =>
    new Ec2Error("InvalidParameterValue", `Value (${value}) for parameter OperationType is invalid. Choose CheckOnly or FullMigration.`),

  // --- RepairGuest (extension; its codes are mini-ec2's choice, docs/decisions.md "Repairing a guest") ---
  guestRepairUnknown: (repair: string, known: readonly string[]) =>
    new Ec2Error("InvalidParameterValue", `Value (${repair}) for parameter Repair is invalid. Choose one of: ${known.join(", ")}.`),
  guestRepairRefused: (repair: string, volumeId: string, reason: string) =>
    new Ec2Error("UnsupportedOperation", `The repair '${repair}' cannot be applied to the guest on ${volumeId}: ${reason}`),
  guestVolumeInUse: (volumeId: string, instanceId: string, state: string) =>
    new Ec2Error(
      "IncorrectState",
      `Volume ${volumeId} is attached to ${instanceId}, which is ${state}: a repair changes the disk while no guest runs from it. Stop the instance (stop-instances --instance-ids ${instanceId}) and repair it then.`,
    ),
  guestBlankDisk: (volumeId: string) =>
    new Ec2Error("InvalidParameterValue", `${volumeId} is a blank disk (created without a snapshot of an operating system): there is no guest to repair.`),
  // --- live migration and server maintenance (mini-ec2's own codes: docs/decisions.md; rules: domain/migration-rules.ts) ---
  migrationInProgress: (instanceId: string, migrationId: string) =>
    new Ec2Error("IncorrectInstanceState", `The instance '${instanceId}' is already being migrated (${migrationId}); one migration at a time.`),
  bareMetalCannotMove: (instanceId: string, instanceType: string) =>
    new Ec2Error(
      "LiveMigrationUnsupported.BareMetal",
      `The instance '${instanceId}' is a bare-metal ${instanceType}: it runs on the server itself, with no hypervisor to move it.`,
    ),
  instanceStoreBlocksMigration: (instanceId: string, instanceType: string) =>
    new Ec2Error(
      "LiveMigrationUnsupported.InstanceStore",
      `The instance '${instanceId}' (${instanceType}) has instance-store volumes, which are disks of its server and cannot move with it.`,
    ),
  gpuPassthroughBlocksMigration: (instanceId: string, instanceType: string) =>
    new Ec2Error(
      "LiveMigrationUnsupported.GpuPassthrough",
      `The instance '${instanceId}' (${instanceType}) owns GPUs passed through from its server; their state cannot be copied to another server.`,
    ),
  sriovBlocksMigrationOnXen: (instanceId: string, device: string) =>
    new Ec2Error(
      "LiveMigrationUnsupported.SriovOnXen",
      `The instance '${instanceId}' networks through an SR-IOV virtual function (${device}) of its Xen server, which cannot be moved with it.`,
    ),
  dedicatedHostPinsInstance: (instanceId: string, hostId: string) =>
    new Ec2Error(
      "LiveMigrationUnsupported.DedicatedHost",
      `The instance '${instanceId}' runs on Dedicated Host ${hostId}, which is one server: there is no other server of the host to move it to.`,
    ),
  noMigrationDestination: (instanceId: string, instanceType: string, zone: string) =>
    new Ec2Error(
      "InsufficientInstanceCapacity",
      `No other server in ${zone} can take the instance '${instanceId}' (${instanceType}) now: none of its hypervisor and family has room where its placement allows.`,
    ),
  instanceEventNotFound: (instanceId: string, eventId: string) =>
    new Ec2Error("InvalidInstanceEventID.NotFound", `The event '${eventId}' does not exist for instance '${instanceId}'.`),
  eventNotReschedulable: (eventId: string, why: string) => new Ec2Error("InvalidParameterValue", `The event '${eventId}' cannot be rescheduled: ${why}.`),
  serverFailed: (serverId: string) => new Ec2Error("IncorrectState", `The server '${serverId}' has failed; a failed server has no guests left to drain.`),
  serverNotFound: (serverId: string) => new Ec2Error("InvalidServerId.NotFound", `The server '${serverId}' does not exist in this Region.`),
  migrationTargetUnsuitable: (serverId: string, why: string) =>
    new Ec2Error("InvalidParameterValue", `The server '${serverId}' cannot take this instance: ${why}.`),
  migrationMalformed: (id: string) => new Ec2Error("InvalidMigrationId.Malformed", `Invalid id: "${id}"`),
  migrationNotFound: (ids: readonly string[]) =>
    new Ec2Error("InvalidMigrationId.NotFound", `The migration ID${ids.length > 1 ? "s" : ""} '${ids.join(", ")}' ${ids.length > 1 ? "do" : "does"} not exist`),

  // --- tags ---
  tagLimitExceeded: () => new Ec2Error("TagLimitExceeded", "The maximum number of Tags for a resource has been reached: 50. Remove tags before adding more."),

  // --- SSM Parameter Store (the public AMI parameters) and other services at the endpoint ---
  parameterNotFound: (name: string) =>
    new Ec2Error("ParameterNotFound", `Parameter ${name} not found. mini-ec2 serves the public AMI parameters listed in docs/ssm.md.`),
  parameterVersionNotFound: (name: string, selector: string) =>
    new Ec2Error(
      "ParameterVersionNotFound",
      `Systems Manager could not find version ${selector} of ${name}. A public parameter of mini-ec2 has version 1 only.`,
    ),
  /** RunInstances with ImageId resolve:ssm:<parameter> that names no parameter (docs/decisions.md "resolve:ssm"). */
  imageAliasNotFound: (imageId: string, parameter: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Invalid value '${imageId}' for ImageId: the SSM parameter ${parameter} does not exist. mini-ec2 serves the public AMI parameters listed in docs/ssm.md.`,
    ),
  /** DescribeDhcpOptions: each account and region has the one default set (docs/networking.md). */
  dhcpOptionsNotFound: (id: string) => new Ec2Error("InvalidDhcpOptionID.NotFound", `The dhcpOption ID '${id}' does not exist`),
  ssmValidation: (detail: string) => new Ec2Error("ValidationException", detail),
  ssmInvalidNextToken: () => new Ec2Error("InvalidNextToken", "The token is not valid. Pass the NextToken of a previous response unchanged."),
  /** A JSON body that does not match the model's types: AWS's JSON services answer SerializationException. */
  jsonSerialization: (detail: string) => new Ec2Error("SerializationException", detail),
  ssmUnsupportedOperation: (operation: string) =>
    new Ec2Error(
      "UnsupportedOperationException",
      `mini-ec2 serves SSM's GetParameter, GetParameters and GetParametersByPath for the public AMI parameters only; ` +
        `the SSM operation ${operation} is not supported. See docs/ssm.md.`,
    ),
  /** A JSON-protocol request (X-Amz-Target) for a service mini-ec2 does not emulate. */
  otherJsonService: (service: string, target: string) =>
    new Ec2Error(
      "UnknownOperationException",
      `mini-ec2 emulates EC2 (with STS and SSM's public AMI parameters) and does not serve ${service} (X-Amz-Target: ${target}).`,
    ),
  /** A Query request for another service (IAM, ELB, ...), known by its credential scope or its Version. */
  otherQueryService: (service: string, action: string | undefined, version: string) =>
    new Ec2Error(
      "InvalidAction",
      `mini-ec2 emulates EC2 (with STS and SSM's public AMI parameters) and does not serve ${service}` +
        `${action ? ` (Action ${action}` : " ("}${action ? ", " : ""}Version ${version}).`,
    ),

  // --- snapshot sharing, CreateSnapshots, UEFI data, Multi-Attach ---
  /** EC2's code and text (reported by Packer users: "UnsupportedOperation: Encrypted snapshots can’t be shared publicly"). */
  encryptedSnapshotPublic: () => new Ec2Error("UnsupportedOperation", "Encrypted snapshots can’t be shared publicly. Specify another snapshot."),
  notUefiInstance: (instanceId: string) =>
    new Ec2Error("UnsupportedOperation", `The instance '${instanceId}' boots with legacy BIOS: only an instance that boots with UEFI has UEFI data.`),

  // --- launch templates (EC2's codes and wording where known; docs/decisions.md marks the guesses) ---
  launchTemplateNameMalformed: () =>
    new Ec2Error(
      "InvalidLaunchTemplateName.MalformedException",
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
    ),
  launchTemplateNameInUse: () => new Ec2Error("InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use."),
  launchTemplateIdNotFound: (id: string) =>
    new Ec2Error("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${id}, does not exist.`),
  launchTemplateNameNotFound: (name: string) =>
    new Ec2Error("InvalidLaunchTemplateName.NotFoundException", `The specified launch template, with template name ${name}, does not exist.`),
  launchTemplateIdMalformed: (id: string) =>
    new Ec2Error(
      "InvalidLaunchTemplateId.Malformed",
      `The specified ID for the launch template, ${id}, is malformed. Launch template IDs look like lt-0123456789abcdef0.`,
    ),
  launchTemplateVersionNotFound: (version: string, launchTemplateId: string) =>
    new Ec2Error(
      "InvalidLaunchTemplateId.VersionNotFound",
      `Could not find the specified version ${version} for the launch template with ID ${launchTemplateId}.`,
    ),
  launchTemplateUnnamed: () => new Ec2Error("MissingParameter", "The request must contain the parameter launchTemplateName or launchTemplateId"),
  launchTemplateNamedTwice: () =>
    new Ec2Error("InvalidParameterCombination", "Specify the launch template by LaunchTemplateId or by LaunchTemplateName, not both."),
  /** A template member RunInstances does not honour yet: stored, it would be ignored at launch without a word. */
  launchTemplateMemberUnsupported: (member: string) =>
    new Ec2Error(
      "Unsupported",
      `${member} is part of EC2's launch template data, but mini-ec2's RunInstances does not honour it yet, so a template may not carry it. Leave it out; docs/operations.md lists the members a template may hold.`,
    ),

  // --- instance settings (RunInstances, ModifyInstanceAttribute) ---
  unsupportedParameter: (operation: string, name: string, why: string) =>
    new Ec2Error("Unsupported", `The parameter ${name} of ${operation} is not supported by mini-ec2: ${why}. See docs/operations.md.`),
  userDataTooLarge: (bytes: number) =>
    new Ec2Error("InvalidParameterValue", `User data is limited to 16384 bytes (before base64 encoding); this user data is ${bytes} bytes.`),
  // Burstable credits: EC2's words for a type without credits ("does not support T2 Unlimited"), then what to do.
  creditSpecificationUnsupported: (instanceType: string) =>
    new Ec2Error(
      "InstanceCreditSpecification.NotSupported",
      `The ${instanceType} instance type does not support T2 Unlimited. Only T2, T3, T3a and T4g types have a credit specification; leave CreditSpecification out.`,
    ),
  unlimitedOnDedicatedHost: (instanceType: string) =>
    new Ec2Error(
      "InstanceCreditSpecification.NotSupported",
      `${instanceType} instances on a Dedicated Host (host tenancy) support only the standard credit option, not unlimited.`,
    ),
  ebsOptimizedUnsupported: (instanceType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `EBS-optimized instances are not supported for your requested configuration: ${instanceType} cannot be EBS-optimized.`,
    ),
  hibernationUnsupported: (why: string) => new Ec2Error("UnsupportedHibernationConfiguration", why),
  invalidCpuOptions: (why: string) => new Ec2Error("InvalidParameterValue", `Invalid CPU options: ${why}`),
  stopProtected: (instanceId: string) =>
    new Ec2Error("OperationNotPermitted", `The instance '${instanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`),

  // --- Dedicated Hosts (ModifyHosts) ---
  hostSupportLocked: (hostId: string) =>
    new Ec2Error("Client.InvalidHost.Occupied", `Dedicated host ${hostId} has instances on it: its instance type or family can change only while it is empty.`),
  hostFamilyFixed: (hostId: string, family: string, asked: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Dedicated host ${hostId} is ${family} hardware: it can run ${family} types only, not ${asked}. Allocate another host for ${asked}.`,
    ),

  // --- KMS keys on volumes ---
  kmsKeyWithoutEncryption: () => new Ec2Error("InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted to be set."),
  kmsKeyMalformed: (kmsKeyId: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Value (${kmsKeyId}) for parameter kmsKeyId is invalid. Expecting a key id, a key ARN, an alias (alias/name) or an alias ARN.`,
    ),
  // --- networking (docs/networking.md; wording from EC2's error list and real clients' threads, guesses in docs/decisions.md) ---
  vpcNotFound: (id: string) => new Ec2Error("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`),
  vpcMalformed: (id: string) => new Ec2Error("InvalidVpcID.Malformed", `Invalid id: "${id}" (expecting "vpc-...")`),
  subnetNotFound: (id: string) => new Ec2Error("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`),
  subnetMalformed: (id: string) => new Ec2Error("InvalidSubnetID.Malformed", `Invalid id: "${id}" (expecting "subnet-...")`),
  groupNotFound: (id: string) => new Ec2Error("InvalidGroup.NotFound", `The security group '${id}' does not exist`),
  groupNameNotFound: (name: string, vpcId: string) =>
    new Ec2Error("InvalidGroup.NotFound", `The security group '${name}' does not exist in default VPC '${vpcId}'`),
  groupMalformed: (id: string) => new Ec2Error("InvalidGroupId.Malformed", `Invalid id: "${id}" (expecting "sg-...")`),
  groupDuplicate: (name: string, vpcId: string) => new Ec2Error("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpcId}'`),
  groupNameReserved: (name: string) => new Ec2Error("InvalidParameterValue", `Cannot use reserved security group name: ${name}`),
  defaultGroupUndeletable: (groupId: string) => new Ec2Error("CannotDelete", `the specified group: "${groupId}" name: "default" cannot be deleted by a user`),
  permissionDuplicate: (rule: string) => new Ec2Error("InvalidPermission.Duplicate", `the specified rule "${rule}" already exists`),
  permissionNotFound: () => new Ec2Error("InvalidPermission.NotFound", "The specified rule does not exist in this security group."),
  permissionMalformed: (why: string) => new Ec2Error("InvalidPermission.Malformed", why),
  internetGatewayNotFound: (id: string) => new Ec2Error("InvalidInternetGatewayID.NotFound", `The internetGateway ID '${id}' does not exist`),
  gatewayNotAttached: (gatewayId: string, vpcId: string) => new Ec2Error("Gateway.NotAttached", `resource ${gatewayId} is not attached to network ${vpcId}`),
  gatewayAlreadyAttached: (gatewayId: string, vpcId: string) =>
    new Ec2Error("Resource.AlreadyAssociated", `resource ${gatewayId} is already attached to network ${vpcId}`),
  routeTableNotFound: (id: string) => new Ec2Error("InvalidRouteTableID.NotFound", `The routeTable ID '${id}' does not exist`),
  routeAlreadyExists: (cidr: string) => new Ec2Error("RouteAlreadyExists", `The route identified by ${cidr} already exists.`),
  routeNotFound: (cidr: string, routeTableId: string) =>
    new Ec2Error("InvalidRoute.NotFound", `no route with destination-cidr-block ${cidr} in route table ${routeTableId}`),
  associationNotFound: (id: string) => new Ec2Error("InvalidAssociationID.NotFound", `The association ID '${id}' does not exist`),
  networkAclNotFound: (id: string) => new Ec2Error("InvalidNetworkAclID.NotFound", `The networkAcl ID '${id}' does not exist`),
  networkInterfaceNotFound: (id: string) => new Ec2Error("InvalidNetworkInterfaceID.NotFound", `The networkInterface ID '${id}' does not exist`),
  networkInterfaceMalformed: (id: string) => new Ec2Error("InvalidNetworkInterfaceID.Malformed", `Invalid id: "${id}" (expecting "eni-...")`),
  networkInterfaceInUse: (id: string) => new Ec2Error("InvalidNetworkInterface.InUse", `Network interface '${id}' is currently in use.`),
  allocationNotFound: (id: string) => new Ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${id}' does not exist`),
  addressAlreadyAssociated: (allocationId: string, associationId: string) =>
    new Ec2Error("Resource.AlreadyAssociated", `resource ${allocationId} is already associated with associationId ${associationId}`),
  /** ReleaseAddress of an associated Elastic IP: EC2's words (genevieve/leftovers#16), the public address named. */
  addressInUse: (publicIp: string) => new Ec2Error("InvalidIPAddress.InUse", `Address ${publicIp} is in use.`),
  addressLimitExceeded: () => new Ec2Error("AddressLimitExceeded", "The maximum number of addresses has been reached."),
  dependencyViolation: (kind: string, id: string) => new Ec2Error("DependencyViolation", `The ${kind} '${id}' has dependencies and cannot be deleted.`),
  groupHasDependents: (groupId: string) => new Ec2Error("DependencyViolation", `resource ${groupId} has a dependent object`),
  // EC2's own text is "The CIDR '10.0.0.0/8' is invalid." (seen in Terraform and boto threads); the reason follows it.
  vpcRange: (cidr: string) => new Ec2Error("InvalidVpc.Range", `The CIDR '${cidr}' is invalid. A VPC's block must be between /16 and /28.`),
  subnetRange: (cidr: string, vpcCidr: string) =>
    new Ec2Error(
      "InvalidSubnet.Range",
      `The CIDR '${cidr}' is invalid. A subnet's block must lie inside its VPC's block (${vpcCidr}) and be between /16 and /28.`,
    ),
  subnetConflict: (cidr: string) => new Ec2Error("InvalidSubnet.Conflict", `The CIDR '${cidr}' conflicts with another subnet`),
  defaultVpcExists: () => new Ec2Error("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region."),
  noDefaultVpc: () =>
    new Ec2Error("VPCIdNotSpecified", "No default VPC for this user. Name a subnet (SubnetId) or create the default VPC again (CreateDefaultVpc)."),
  insufficientFreeAddresses: (subnetId: string) => new Ec2Error("InsufficientFreeAddressesInSubnet", `Insufficient Free IP Addresses in subnet ${subnetId}.`),
  addressTaken: (address: string) => new Ec2Error("InvalidIPAddress.InUse", `Address ${address} is in use.`),
  addressOutsideSubnet: (address: string, cidr: string) =>
    new Ec2Error("InvalidParameterValue", `Address ${address} does not fall within the subnet's address range (${cidr}).`),
  interfaceLimitExceeded: (count: number, instanceType: string) =>
    new Ec2Error("AttachmentLimitExceeded", `Interface count ${count} exceeds the limit for ${instanceType}`),
  // --- VPCs, subnets, gateways, route tables (net-vpc; guesses marked in docs/decisions.md) ---
  cidrMalformed: (cidr: string, parameter = "cidrBlock") =>
    new Ec2Error("InvalidParameterValue", `Value (${cidr}) for parameter ${parameter} is invalid. This is not a valid CIDR block.`),
  vpcTenancyInvalid: (tenancy: string) =>
    new Ec2Error("InvalidParameterValue", `Value (${tenancy}) for parameter instanceTenancy is invalid. A VPC's tenancy is default or dedicated.`),
  vpcAttributeCount: (named: readonly string[]) =>
    new Ec2Error(
      "InvalidParameterCombination",
      named.length === 0
        ? "Specify one attribute to modify: EnableDnsSupport or EnableDnsHostnames."
        : `Fields for multiple attribute types specified: ${named.join(", ")}. Modify one attribute per call.`,
    ),
  subnetAttributeMissing: () => new Ec2Error("MissingParameter", "Specify the attribute to modify: MapPublicIpOnLaunch."),
  subnetZoneInvalid: (zone: string, zones: readonly string[]) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(", ")}.`,
    ),
  subnetZoneIdInvalid: (zoneId: string, zoneIds: readonly string[]) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Value (${zoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone IDs: ${zoneIds.join(", ")}.`,
    ),
  subnetZoneContradiction: (zone: string, zoneId: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `The availability zone ${zone} is not the zone with ID ${zoneId}. Name the zone one way: AvailabilityZone or AvailabilityZoneId.`,
    ),
  vpcHasGateway: (vpcId: string) => new Ec2Error("InvalidParameterValue", `Network ${vpcId} already has an internet gateway attached`),
  gatewayIdNotFound: (id: string) => new Ec2Error("InvalidGatewayID.NotFound", `The gateway ID '${id}' does not exist`),
  routeTargetCount: () => new Ec2Error("InvalidParameterCombination", "Specify exactly one route target: GatewayId, NetworkInterfaceId or InstanceId."),
  differentNetworks: (routeTableId: string, what: string, id: string) =>
    new Ec2Error("InvalidParameterValue", `route table ${routeTableId} and ${what} ${id} belong to different networks`),
  localRouteUndeletable: (cidr: string, routeTableId: string) =>
    new Ec2Error("InvalidParameterValue", `cannot remove local route ${cidr} in route table ${routeTableId}`),
  localRouteUnreplaceable: (cidr: string, routeTableId: string) =>
    new Ec2Error("InvalidParameterValue", `cannot replace local route ${cidr} in route table ${routeTableId}: the local route always targets the VPC.`),
  associationConflict: (routeTableId: string) =>
    new Ec2Error("Resource.AlreadyAssociated", `the specified association for route table ${routeTableId} conflicts with an existing association`),
  mainAssociationUndisassociable: (associationId: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `cannot disassociate the main route table association ${associationId}. Make another table the main one with ReplaceRouteTableAssociation.`,
    ),
  instanceHasNoInterface: (instanceId: string) =>
    new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist or has no network interface to route to`),
  privateIpLimitExceeded: (instanceType: string, limit: number) =>
    new Ec2Error(
      "PrivateIpAddressLimitExceeded",
      `Number of private addresses will exceed limit: ${instanceType} allows ${limit} IPv4 addresses per interface.`,
    ),
  // --- network interfaces and Elastic IPs (net-eni; guesses marked in docs/decisions.md) ---
  groupOtherNetwork: (groupId: string, subnetId: string) =>
    new Ec2Error("InvalidParameter", `Security group ${groupId} and subnet ${subnetId} belong to different networks.`),
  interfaceTypeUnsupported: (type: string) =>
    new Ec2Error("InvalidParameterValue", `mini-ec2 does not create network interfaces of type '${type}'. Use 'interface' (the default) or 'efa'.`),
  privateIpMalformed: (value: string) =>
    new Ec2Error("InvalidParameterValue", `Invalid value '${value}' for IP address: expecting an IPv4 address such as 10.0.0.5.`),
  addressReserved: (address: string, cidr: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Address ${address} is reserved in subnet ${cidr}: AWS keeps the first four addresses and the last one of every subnet. Choose another address.`,
    ),
  interfaceAttachmentNotFound: (id: string) => new Ec2Error("InvalidAttachmentID.NotFound", `The attachment ID '${id}' does not exist`),
  primaryInterfaceUndetachable: () =>
    new Ec2Error("OperationNotPermitted", "The network interface at device index 0 and networkCard index 0 cannot be detached."),
  deviceIndexInUse: (instanceId: string, deviceIndex: number) =>
    new Ec2Error("InvalidParameterValue", `Instance '${instanceId}' already has an interface attached at device index '${deviceIndex}'.`),
  interfaceZoneMismatch: (networkInterfaceId: string, interfaceZone: string, instanceId: string, instanceZone: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `The network interface '${networkInterfaceId}' (in ${interfaceZone}) and the instance '${instanceId}' (in ${instanceZone}) are not in the same availability zone.`,
    ),
  efaUnsupported: (instanceType: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `EFA interfaces are not supported on ${instanceType}. Choose an instance type whose NetworkInfo.EfaSupported is true (describe-instance-types --filters Name=network-info.efa-supported,Values=true).`,
    ),
  primaryIpUnassignable: (address: string) =>
    new Ec2Error("InvalidParameterValue", `The primary private IP address ${address} of a network interface cannot be unassigned.`),
  addressNotAssigned: (address: string, networkInterfaceId: string) =>
    new Ec2Error("InvalidParameterValue", `Some of the specified addresses are not assigned to interface ${networkInterfaceId}: ${address}.`),
  oneInterfaceAttribute: (given: readonly string[]) =>
    new Ec2Error(
      "InvalidParameterCombination",
      given.length === 0
        ? "Specify one attribute to modify: Description, SourceDestCheck, Groups or Attachment."
        : `Fields for multiple attribute types specified: ${given.join(", ")}. Modify one attribute a call.`,
    ),
  vpcWithoutInternetGateway: (vpcId: string) => new Ec2Error("Gateway.NotAttached", `Network ${vpcId} is not attached to any internet gateway`),
  instanceWithoutInterface: (instanceId: string) =>
    new Ec2Error(
      "InvalidInstanceID",
      `The instance '${instanceId}' has no primary network interface to associate the address with. Associate it with a network interface (NetworkInterfaceId) instead.`,
    ),
  publicIpNotFound: (publicIp: string) => new Ec2Error("InvalidAddress.NotFound", `Address '${publicIp}' not found.`),
  elasticIpPoolExhausted: () =>
    new Ec2Error("InsufficientAddressCapacity", "There are no Elastic IP addresses left in mini-ec2's pool. Release unused addresses."),
  associationTargetMissing: () => new Ec2Error("MissingParameter", "Either the parameter instanceId or networkInterfaceId must be specified."),
  associationTargetsBoth: () =>
    new Ec2Error("InvalidParameterCombination", "The parameter instanceId cannot be used with the parameter networkInterfaceId. Name one target."),

  // --- security groups and their rules (net-sg; docs/networking.md, guesses in docs/decisions.md) ---
  groupNameInvalid: (member: "GroupName" | "GroupDescription", value: string, why: string) =>
    new Ec2Error("InvalidParameterValue", `Value (${value}) for parameter ${member} is invalid. ${why}`),
  groupNameLooksLikeId: (name: string) =>
    new Ec2Error("InvalidParameterValue", `Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`),
  groupNoDefaultVpc: () =>
    new Ec2Error(
      "VPCIdNotSpecified",
      "No default VPC for this user. Name a VPC (VpcId) or use the group's id (GroupId), or create the default VPC again (CreateDefaultVpc).",
    ),
  protocolMissing: () =>
    new Ec2Error("InvalidParameterValue", "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly."),
  protocolUnknown: (protocol: string) => new Ec2Error("InvalidParameterValue", `Invalid value '${protocol}' for IP protocol. Unknown protocol.`),
  portRangeMissing: (family: "TCP/UDP" | "ICMP") =>
    new Ec2Error("InvalidParameterValue", `Invalid value 'Must specify both from and to ports with ${family}.' for portRange.`),
  portOutOfRange: (what: string, value: number) => new Ec2Error("InvalidPermission.Malformed", `${what} (${value}) out of range`),
  portRangeReversed: (fromPort: number, toPort: number) =>
    new Ec2Error("InvalidParameterValue", `Invalid TCP/UDP port range: the from port (${fromPort}) is greater than the to port (${toPort}).`),
  cidrInvalid: (member: "cidrIp" | "cidrIpv6", value: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Value (${value}) for parameter ${member} is invalid. This is not a valid ${member === "cidrIp" ? "" : "IPv6 "}CIDR block.`,
    ),
  prefixListMalformed: (id: string) => new Ec2Error("InvalidPrefixListId.Malformed", `Invalid id: "${id}" (expecting "pl-...")`),
  permissionWithoutPeer: () =>
    new Ec2Error(
      "InvalidParameterValue",
      "Each IpPermission must name at least one source or destination: IpRanges, Ipv6Ranges, UserIdGroupPairs or PrefixListIds.",
    ),
  permissionRepeated: () => new Ec2Error("InvalidParameterValue", "The same permission must not appear multiple times"),
  ruleDescriptionInvalid: () =>
    new Ec2Error(
      "InvalidParameterValue",
      "Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*",
    ),
  rulesPerGroupLimitExceeded: () => new Ec2Error("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached."),
  ruleNotFound: (ruleId: string) => new Ec2Error("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${ruleId}' does not exist`),
  legacyEgressParameter: (member: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `The parameter ${member} is not supported by AuthorizeSecurityGroupEgress or RevokeSecurityGroupEgress. Use IpPermissions.`,
    ),

  // --- the instance in its network (net-run; guesses marked in docs/decisions.md) ---
  noDefaultSubnet: (zone: string) => new Ec2Error("MissingInput", `No default subnet for availability zone: '${zone}'.`),
  // --- networking gaps (net14; EC2's words from real clients' threads: hashicorp/terraform#497, #1303) ---
  mappedPublicAddresses: (vpcId: string) =>
    new Ec2Error(
      "DependencyViolation",
      `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    ),
  /** RunInstances with an attached interface: EC2's words (hashicorp/terraform-provider-aws#27513). */
  launchInterfaceInUse: (networkInterfaceId: string) => new Ec2Error("InvalidNetworkInterface.InUse", `Interface: [${networkInterfaceId}] in use.`),
  existingInterfaceMember: (member: string) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `A network interface given by NetworkInterfaceId may not also specify ${member}: that member applies only to a network interface created at launch.`,
    ),
  publicIpOnExistingInterface: () =>
    new Ec2Error(
      "InvalidParameterCombination",
      "The associatePublicIPAddress parameter cannot be specified for an existing network interface: a public address is assigned only to a new interface.",
    ),
  existingInterfaceManyInstances: () =>
    new Ec2Error(
      "InvalidParameterCombination",
      "An existing network interface (NetworkInterfaceId) attaches to one instance: it cannot be used when launching more than one instance (MaxCount above 1).",
    ),
  /** EC2's words (kubernetes-sigs/cluster-api-provider-aws#5594). */
  interfaceTagsWithoutNewInterface: () =>
    new Ec2Error("InvalidParameterValue", "You cannot specify tags for network interfaces if there are no network interfaces being created by the request."),
  interfaceZoneContradiction: (zoneAsked: string, networkInterfaceId: string, zone: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Value (${zoneAsked}) for parameter availabilityZone is invalid. Network interface '${networkInterfaceId}' is in the availability zone ${zone}`,
    ),
  networkCardUnsupported: (index: number, instanceType: string, cards: number) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Network card index ${index} is not valid for ${instanceType}: it has ${cards} network card${cards === 1 ? "" : "s"} (indexes 0 to ${cards - 1}).`,
    ),

  // --- GetInstanceMetrics (CloudWatch's words where CloudWatch has them; docs/decisions.md) ---
  unknownMetricName: (name: string, valid: readonly string[]) =>
    new Ec2Error("InvalidParameterValue", `The metric name '${name}' is not valid for GetInstanceMetrics. Valid names: ${valid.join(", ")}.`),
  metricWindowInverted: () => new Ec2Error("InvalidParameterCombination", "The parameter StartTime must be less than the parameter EndTime."),
  metricPeriodInvalid: (period: number) =>
    new Ec2Error("InvalidParameterValue", `The parameter Period (${period}) must be a multiple of 60 seconds, at least 60.`),
  tooManyDatapoints: (requested: number, limit: number) =>
    new Ec2Error(
      "InvalidParameterCombination",
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of ${limit.toLocaleString("en-US")}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    ),

  // --- Dedicated Host recovery and maintenance (dedhosts; the codes and words are guesses, docs/decisions.md) ---
  hostMaintenanceUnsupported: (family: string, supported: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `Host maintenance is not supported for the ${family} instance family. Families that support it: ${supported}. Allocate with --host-maintenance off.`,
    ),
  hostCannotTakeStart: (hostId: string) =>
    new Ec2Error(
      "InsufficientCapacityOnHost",
      `Dedicated host ${hostId} has insufficient capacity to launch the instances in this request: it is full, or it failed or is under maintenance. Check its state and capacity with describe-hosts; launch a replacement on another host.`,
    ),
  hostSettingNeedsValue: () =>
    new Ec2Error("InvalidParameterCombination", "Specify AutoPlacement, HostRecovery, HostMaintenance, InstanceType or InstanceFamily to modify."),
  // --- Spot (docs/spot.md; wordings not seen from EC2 are in docs/decisions.md) ---
  spotMaxPriceTooLow: (maxPrice: string, price: string) =>
    new Ec2Error("SpotMaxPriceTooLow", `Your Spot request price of ${maxPrice} is lower than the minimum required Spot request fulfillment price of ${price}.`),
  spotRequestMalformed: (id: string) => new Ec2Error("InvalidSpotInstanceRequestID.Malformed", `Invalid id: "${id}" (expecting "sir-...")`),
  maxSpotInstanceCountExceeded: (count: number, max: number) =>
    new Ec2Error("MaxSpotInstanceCountExceeded", `Max spot instance count exceeded: ${count} requested, at most ${max} in one request.`),
  oneTimeSpotStop: (instanceId: string) =>
    new Ec2Error(
      "UnsupportedOperation",
      `You can't stop the Spot Instance '${instanceId}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
    ),
  spotRequestNotFound: (id: string) => new Ec2Error("InvalidSpotInstanceRequestID.NotFound", `The spot instance request ID '${id}' does not exist`),
  // --- tags on what a launch creates (fidelity; docs/decisions.md) ---
  /** EC2's words for network interfaces and elastic GPUs, said of a Spot request (docs/decisions.md). */
  spotRequestTagsWithoutSpotRequest: () =>
    new Ec2Error(
      "InvalidParameterValue",
      "You cannot specify tags for Spot instances requests if there are no Spot instances requests being created by the request.",
    ),
  /** EC2's words (terraform-aws-modules/terraform-aws-eks#2355); mini-ec2 creates no elastic GPUs. */
  elasticGpuTagsWithoutElasticGpu: () =>
    new Ec2Error("InvalidParameterValue", "You cannot specify tags for elastic GPUs if there are no elastic GPUs being created by the request"),
  // --- what new users' scripts met (explore-compute) ---
  /** EC2's words (aws-solutions/instance-scheduler-on-aws#510). */
  notConfiguredForHibernation: (instanceId: string) =>
    new Ec2Error(
      "UnsupportedHibernationConfiguration",
      `The instance can't be hibernated because it was not configured at launch for hibernation: ${instanceId}`,
    ),
  /** EC2's code and words (splunk/attack_range#901, oven-sh/bun#20021). */
  ed25519KeyOnWindows: () =>
    new Ec2Error("Unsupported", "ED25519 key pairs are not supported with Windows AMIs. Choose a different key pair type and try again."),
  /** EC2 documents that only these reset; its error for another is unconfirmed (docs/decisions.md). */
  attributeNotResettable: (attribute: string) =>
    new Ec2Error(
      "InvalidParameterValue",
      `The attribute '${attribute}' cannot be reset: only kernel, ramdisk and sourceDestCheck can. Use ModifyInstanceAttribute to change it.`,
    ),
} as const;
