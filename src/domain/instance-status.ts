// DescribeInstanceStatus' two checks, as EC2 reports them: the system check passes once the instance runs, the
// instance check follows the guest's boot (impaired since the checks' grace period ended).
import type { Delays } from "./delays.js";
import type { InstanceEvent } from "./instance-events.js";
import { currentState, type Instance, type InstanceStateName } from "./instances.js";

/** What the checks found: not-applicable unless running, initializing during the grace period, then ok or impaired. */
export type StatusChecksVerdict = "not-applicable" | "initializing" | "ok" | "impaired";

export interface StatusCheck {
  status: StatusChecksVerdict;
  /** The one check detail EC2 reports; absent while not applicable. */
  reachability?: "passed" | "failed" | "initializing";
  impairedSince?: Date;
}

export interface InstanceStatusReport {
  instanceId: string;
  availabilityZone: string;
  state: InstanceStateName;
  system: StatusCheck;
  instance: StatusCheck;
  /** Scheduled events (a drained or failed server), open or completed within a week. */
  events?: InstanceEvent[];
}

/** The report of an instance whose server has failed or has events: the system check fails on a failed server. */
export function withHostLife(report: InstanceStatusReport, events: readonly InstanceEvent[], serverFailed: boolean): InstanceStatusReport {
  const system: StatusCheck = serverFailed && report.state === "running" ? { status: "impaired", reachability: "failed" } : report.system;
  return { ...report, system, ...(events.length ? { events: [...events] } : {}) };
}

export function instanceStatusReport(
  instance: Instance,
  now: Date,
  verdict: StatusChecksVerdict,
  delays: Pick<Delays, "statusChecksMs">,
): InstanceStatusReport {
  const base = { instanceId: instance.instanceId, availabilityZone: instance.availabilityZone, state: currentState(instance, now) };
  if (verdict === "not-applicable") return { ...base, system: { status: "not-applicable" }, instance: { status: "not-applicable" } };
  if (verdict === "initializing") {
    const initializing: StatusCheck = { status: "initializing", reachability: "initializing" };
    return { ...base, system: initializing, instance: initializing };
  }
  return {
    ...base,
    system: { status: "ok", reachability: "passed" },
    instance:
      verdict === "ok"
        ? { status: "ok", reachability: "passed" }
        : { status: "impaired", reachability: "failed", impairedSince: new Date(instance.transitionEndsAt.getTime() + delays.statusChecksMs) },
  };
}
