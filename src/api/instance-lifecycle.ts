// Start, stop, reboot and terminate; instance attributes; the console log and the status checks.
import type {
  DescribeInstanceAttributeRequest,
  DescribeInstanceStatusRequest,
  DescribeInstanceStatusResult,
  GetConsoleOutputRequest,
  GetConsoleOutputResult,
  InstanceAttribute,
  InstanceStateChange,
  InstanceStatus,
  InstanceStatusSummary,
  ModifyInstanceAttributeRequest,
} from "@aws-sdk/client-ec2";
import { instanceDevices } from "../domain/attachments.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import type { InstanceStatusReport, StatusCheck } from "../domain/instance-status.js";
import { currentState, type Instance, stateCodes } from "../domain/instances.js";
import { paginate } from "../domain/pagination.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceQueryService } from "../services/instance-queries.js";
import type { InstanceService, StateChange } from "../services/instances.js";

interface IdsInput {
  InstanceIds?: string[];
  Force?: boolean;
}

const stateChange = (change: StateChange): InstanceStateChange => ({
  InstanceId: change.instanceId,
  CurrentState: { Code: stateCodes[change.current], Name: change.current },
  PreviousState: { Code: stateCodes[change.previous], Name: change.previous },
});

export function lifecycleOperations(instances: InstanceService, queries: InstanceQueryService, clock: Clock): OperationTable {
  const ids = (input: IdsInput) => {
    if (!input.InstanceIds?.length) throw Errors.missingParameter("InstanceId");
    return input.InstanceIds;
  };
  return {
    StartInstances: operation<IdsInput, { StartingInstances: InstanceStateChange[] }>({
      async handle(input, caller) {
        return { StartingInstances: (await instances.change(caller, "start", ids(input))).map(stateChange) };
      },
    }),
    StopInstances: operation<IdsInput, { StoppingInstances: InstanceStateChange[] }>({
      async handle(input, caller) {
        return { StoppingInstances: (await instances.change(caller, "stop", ids(input), { force: input.Force === true })).map(stateChange) };
      },
    }),
    TerminateInstances: operation<IdsInput, { TerminatingInstances: InstanceStateChange[] }>({
      async handle(input, caller) {
        return { TerminatingInstances: (await instances.change(caller, "terminate", ids(input))).map(stateChange) };
      },
    }),
    RebootInstances: operation<IdsInput, object>({
      async handle(input, caller) {
        await instances.change(caller, "reboot", ids(input));
        return {};
      },
    }),

    DescribeInstanceAttribute: operation<DescribeInstanceAttributeRequest, InstanceAttribute>({
      async handle(input, caller) {
        const instance = await instances.getOne(caller, input.InstanceId!);
        return { InstanceId: instance.instanceId, ...attributeValue(instance, input.Attribute!, clock.now()) };
      },
    }),
    ModifyInstanceAttribute: operation<ModifyInstanceAttributeRequest, object>({
      async handle(input, caller) {
        await instances.modify(caller, input.InstanceId!, attributeChange(input));
        return {};
      },
    }),

    GetConsoleOutput: operation<GetConsoleOutputRequest, GetConsoleOutputResult>({
      async handle(input, caller) {
        const instance = await instances.getOne(caller, input.InstanceId!);
        const state = currentState(instance, clock.now());
        // EC2 has no console output until the instance has run.
        if (state === "pending" || !instance.serverId) return { InstanceId: instance.instanceId, Timestamp: clock.now() };
        const result = await instances.boot(caller, instance);
        const text = result ? result.lines.join("\n") + "\n" : "";
        return { InstanceId: instance.instanceId, Timestamp: clock.now(), Output: Buffer.from(text).toString("base64") };
      },
    }),

    DescribeInstanceStatus: operation<DescribeInstanceStatusRequest, DescribeInstanceStatusResult>({
      async handle(input, caller) {
        const reports = await queries.statuses(caller, {
          ...(input.InstanceIds?.length ? { instanceIds: input.InstanceIds } : {}),
          includeAll: input.IncludeAllInstances === true,
          ...(input.Filters ? { filters: input.Filters } : {}),
        });
        const page = paginate(reports, (report) => report.instanceId, input, Number.MAX_SAFE_INTEGER);
        return { InstanceStatuses: page.items.map(instanceStatusInfo), NextToken: page.nextToken };
      },
    }),
  };
}

function instanceStatusInfo(report: InstanceStatusReport): InstanceStatus {
  return {
    InstanceId: report.instanceId,
    AvailabilityZone: report.availabilityZone,
    InstanceState: { Code: stateCodes[report.state], Name: report.state },
    SystemStatus: statusCheckInfo(report.system),
    InstanceStatus: statusCheckInfo(report.instance),
  };
}

function statusCheckInfo(check: StatusCheck): InstanceStatusSummary {
  if (!check.reachability) return { Status: check.status };
  return { Status: check.status, Details: [{ Name: "reachability", Status: check.reachability, ...(check.impairedSince ? { ImpairedSince: check.impairedSince } : {}) }] };
}

function attributeValue(instance: Instance, attribute: string, now: Date): Omit<InstanceAttribute, "InstanceId"> {
  switch (attribute) {
    case "instanceType":
      return { InstanceType: { Value: instance.instanceType } };
    case "kernel":
      return { KernelId: instance.kernelId ? { Value: instance.kernelId } : {} };
    case "ramdisk":
      return { RamdiskId: instance.ramdiskId ? { Value: instance.ramdiskId } : {} };
    case "userData":
      return { UserData: instance.userData ? { Value: instance.userData } : {} };
    case "disableApiTermination":
      return { DisableApiTermination: { Value: instance.disableApiTermination } };
    case "instanceInitiatedShutdownBehavior":
      return { InstanceInitiatedShutdownBehavior: { Value: "stop" } };
    case "rootDeviceName":
      return { RootDeviceName: { Value: instance.rootDeviceName } };
    case "blockDeviceMapping":
      return { BlockDeviceMappings: instanceDevices(instance, now) };
    case "productCodes":
      return { ProductCodes: [] };
    case "sourceDestCheck":
      return { SourceDestCheck: { Value: true } };
    case "groupSet":
      return { Groups: [] };
    case "ebsOptimized":
      return { EbsOptimized: { Value: false } };
    case "sriovNetSupport":
      return { SriovNetSupport: instance.sriovNetSupport ? { Value: instance.sriovNetSupport } : {} };
    case "enaSupport":
      return { EnaSupport: { Value: instance.enaSupport } };
    case "disableApiStop":
      return { DisableApiStop: { Value: false } };
    default:
      throw Errors.invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. mini-ec2 describes instanceType, kernel, ramdisk, userData, disableApiTermination, rootDeviceName, blockDeviceMapping, sriovNetSupport, enaSupport and a few fixed ones.`);
  }
}

/** The one attribute a ModifyInstanceAttribute call changes, from its own member or the legacy Attribute+Value. */
function attributeChange(input: ModifyInstanceAttributeRequest): Parameters<InstanceService["modify"]>[2] {
  const change: Parameters<InstanceService["modify"]>[2] = {};
  if (input.InstanceType?.Value !== undefined) change.instanceType = input.InstanceType.Value;
  if (input.Kernel?.Value !== undefined) change.kernelId = input.Kernel.Value;
  if (input.Ramdisk?.Value !== undefined) change.ramdiskId = input.Ramdisk.Value;
  if (input.EnaSupport?.Value !== undefined) change.enaSupport = input.EnaSupport.Value;
  if (input.SriovNetSupport?.Value !== undefined) change.sriovNetSupport = input.SriovNetSupport.Value as "simple";
  if (input.UserData?.Value !== undefined) change.userData = Buffer.from(input.UserData.Value).toString("base64");
  if (input.DisableApiTermination?.Value !== undefined) change.disableApiTermination = input.DisableApiTermination.Value;
  if (input.Attribute && input.Value !== undefined) {
    const legacy: Record<string, () => void> = {
      instanceType: () => (change.instanceType = input.Value),
      kernel: () => (change.kernelId = input.Value),
      ramdisk: () => (change.ramdiskId = input.Value),
      sriovNetSupport: () => (change.sriovNetSupport = input.Value as "simple"),
      disableApiTermination: () => (change.disableApiTermination = input.Value === "true"),
      enaSupport: () => (change.enaSupport = input.Value === "true"),
    };
    const apply = legacy[input.Attribute];
    if (!apply) throw Errors.invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid or not modifiable here.`);
    apply();
  }
  return change;
}
