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
  ResetInstanceAttributeRequest,
} from "@aws-sdk/client-ec2";
import type { Caller } from "../domain/caller.js";
import type { Clock } from "../domain/clock.js";
import { Errors } from "../domain/errors.js";
import type { InstanceStatusReport, StatusCheck } from "../domain/instance-status.js";
import { currentState, lastBootAt, stateCodes } from "../domain/instances.js";
import { paginate } from "../domain/pagination.js";
import { attributeChange, attributeValue } from "./instance-attributes.js";
import { type InstanceEvent, shownDescription } from "../domain/instance-events.js";
import { type OperationTable, operation } from "../protocol/operation.js";
import type { InstanceQueryService } from "../services/instance-queries.js";
import type { InstanceService, StateChange } from "../services/instances.js";

interface IdsInput {
  InstanceIds?: string[];
  Force?: boolean;
  Hibernate?: boolean;
}

/** A dry run's checks, their answer dropped: DryRunOperation follows when none refused. */
const checked = async (checks: Promise<unknown>): Promise<void> => {
  await checks;
};

const stopOptions = (input: IdsInput) => ({ force: input.Force === true, hibernate: input.Hibernate === true });

const stateChange = (change: StateChange): InstanceStateChange => ({
  InstanceId: change.instanceId,
  CurrentState: { Code: stateCodes[change.current], Name: change.current },
  PreviousState: { Code: stateCodes[change.previous], Name: change.previous },
});

export function lifecycleOperations(
  instances: InstanceService,
  queries: InstanceQueryService,
  clock: Clock,
  /** Reboot migration (services/maintenance.ts): a reboot with a scheduled system-reboot event may move the instance. */
  afterReboot: (caller: Caller, instanceIds: readonly string[]) => Promise<void> = async () => {},
): OperationTable {
  const ids = (input: IdsInput) => {
    if (!input.InstanceIds?.length) throw Errors.missingParameter("InstanceId");
    return input.InstanceIds;
  };
  return {
    StartInstances: operation<IdsInput, { StartingInstances: InstanceStateChange[] }>({
      dryRun: (input, caller) => checked(instances.change(caller, "start", ids(input), { checkOnly: true })),
      async handle(input, caller) {
        return { StartingInstances: (await instances.change(caller, "start", ids(input))).map(stateChange) };
      },
    }),
    StopInstances: operation<IdsInput, { StoppingInstances: InstanceStateChange[] }>({
      dryRun: (input, caller) => checked(instances.change(caller, "stop", ids(input), { ...stopOptions(input), checkOnly: true })),
      async handle(input, caller) {
        return { StoppingInstances: (await instances.change(caller, "stop", ids(input), stopOptions(input))).map(stateChange) };
      },
    }),
    TerminateInstances: operation<IdsInput, { TerminatingInstances: InstanceStateChange[] }>({
      dryRun: (input, caller) => checked(instances.change(caller, "terminate", ids(input), { checkOnly: true })),
      async handle(input, caller) {
        return { TerminatingInstances: (await instances.change(caller, "terminate", ids(input))).map(stateChange) };
      },
    }),
    RebootInstances: operation<IdsInput, object>({
      dryRun: (input, caller) => checked(instances.change(caller, "reboot", ids(input), { checkOnly: true })),
      async handle(input, caller) {
        await instances.change(caller, "reboot", ids(input));
        await afterReboot(caller, ids(input));
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
    ResetInstanceAttribute: operation<ResetInstanceAttributeRequest, object>({
      async handle(input, caller) {
        await instances.reset(caller, input.InstanceId!, input.Attribute!);
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
        // Written at the guest's latest boot: a live migration leaves it as it was, a recovery writes a fresh boot.
        return { InstanceId: instance.instanceId, Timestamp: lastBootAt(instance), Output: Buffer.from(text).toString("base64") };
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
    ...(report.events
      ? {
          Events: report.events.map(eventWire),
        }
      : {}),
  };
}

function statusCheckInfo(check: StatusCheck): InstanceStatusSummary {
  if (!check.reachability) return { Status: check.status };
  return {
    Status: check.status,
    Details: [{ Name: "reachability", Status: check.reachability, ...(check.impairedSince ? { ImpairedSince: check.impairedSince } : {}) }],
  };
}

/** A scheduled event as DescribeInstanceStatus and ModifyInstanceEventStartTime show it. */
export function eventWire(event: InstanceEvent) {
  return {
    InstanceEventId: event.instanceEventId,
    Code: event.code,
    Description: shownDescription(event),
    NotBefore: event.notBefore,
    NotAfter: event.notAfter,
    NotBeforeDeadline: event.notBeforeDeadline,
  };
}
