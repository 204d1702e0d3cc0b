// Scheduled events of instances, as DescribeInstanceStatus shows them: made when the server an instance runs on is
// drained for maintenance or fails and the instance cannot move live. Pure: times come in, nothing reads a clock.
// Lead times and descriptions are chosen (docs/decisions.md); the codes, the members and the "[Completed]" prefix
// are EC2's (API reference, InstanceStatusEvent).

export type EventCode = "instance-reboot" | "system-reboot" | "system-maintenance" | "instance-retirement" | "instance-stop";

export interface InstanceEvent {
  instanceEventId: string;
  accountId: string;
  region: string;
  instanceId: string;
  /** The server the event is about: the event completes once the instance has left it. */
  serverId: string;
  code: EventCode;
  description: string;
  notBefore: Date;
  notAfter?: Date;
  notBeforeDeadline?: Date;
  createdAt: Date;
  completedAt?: Date;
}

const hour = 3600_000;
const day = 24 * hour;

/** EC2 notifies ahead; "at least two weeks" is commonly quoted but unconfirmed (host-life-facts.md §5). */
export const eventLeadMs = 14 * day;
/** The window the event runs in once started. */
export const eventWindowMs = 2 * hour;
/** How far an owner may move the start (ModifyInstanceEventStartTime): EC2's sample gives about three weeks. */
export const rescheduleAllowanceMs = 21 * day;
/** "After a scheduled event is completed, it can still be described for up to a week." (API reference) */
export const completedVisibleMs = 7 * day;

const descriptions: Record<EventCode, string> = {
  "instance-stop": "The instance is running on a host scheduled for maintenance and will be stopped",
  "instance-retirement": "The instance is running on degraded hardware",
  "system-maintenance": "The instance's host is scheduled for network or power maintenance",
  "system-reboot": "The instance's host is scheduled for a reboot",
  "instance-reboot": "The instance is scheduled for a reboot",
};

/** The times and words of a new event of this code, scheduled at `now`. */
export function scheduleEvent(
  code: EventCode,
  now: Date,
  leadMs = eventLeadMs,
): Pick<InstanceEvent, "code" | "description" | "notBefore" | "notAfter" | "notBeforeDeadline"> {
  const notBefore = new Date(now.getTime() + leadMs);
  return {
    code,
    description: descriptions[code],
    notBefore,
    notAfter: new Date(notBefore.getTime() + eventWindowMs),
    // A retirement cannot be put off: the hardware is failing.
    ...(code === "instance-retirement" ? {} : { notBeforeDeadline: new Date(notBefore.getTime() + rescheduleAllowanceMs) }),
  };
}

/** Whether DescribeInstanceStatus still shows it: open, or completed less than a week ago. */
export function eventVisible(event: Pick<InstanceEvent, "completedAt">, now: Date): boolean {
  return !event.completedAt || now.getTime() < event.completedAt.getTime() + completedVisibleMs;
}

/** The description as EC2 shows it: "[Completed] …" once completed. */
export function shownDescription(event: Pick<InstanceEvent, "description" | "completedAt">): string {
  return event.completedAt ? `[Completed] ${event.description}` : event.description;
}

/** ModifyInstanceEventStartTime's limits (monitoring-instances-status-check_sched.md; host-life-facts.md §5). */
export const rescheduleLimits = { notWithinMs: 5 * 60_000, newStartAtLeastMs: 60 * 60_000 };

/**
 * The event moved to start at `notBefore`, its window moved with it; or why it cannot move: only an event with a
 * deadline, not completed, not starting within 5 minutes, to a start at least 60 minutes away and not past the deadline.
 */
export function rescheduled(event: InstanceEvent, notBefore: Date, now: Date): InstanceEvent | { refused: string } {
  if (event.completedAt) return { refused: "it has completed" };
  if (!event.notBeforeDeadline) return { refused: `a ${event.code} event has no deadline to move it within` };
  if (event.notBefore.getTime() - now.getTime() < rescheduleLimits.notWithinMs) return { refused: "it starts within the next 5 minutes" };
  if (notBefore.getTime() - now.getTime() < rescheduleLimits.newStartAtLeastMs) return { refused: "the new start must be at least 60 minutes from now" };
  if (notBefore.getTime() > event.notBeforeDeadline.getTime()) {
    return { refused: `the new start is after the event's deadline (${event.notBeforeDeadline.toISOString()})` };
  }
  const window = event.notAfter ? event.notAfter.getTime() - event.notBefore.getTime() : undefined;
  return { ...event, notBefore, ...(window !== undefined ? { notAfter: new Date(notBefore.getTime() + window) } : {}) };
}

/** A new event about the server the guest runs on, of the guest's account. */
export function eventAbout(
  guest: { instanceId: string; accountId: string; region: string; serverId: string },
  code: EventCode,
  now: Date,
  instanceEventId: string,
  leadMs?: number,
): InstanceEvent {
  const { instanceId, accountId, region, serverId } = guest;
  return { instanceEventId, accountId, region, instanceId, serverId, createdAt: now, ...scheduleEvent(code, now, leadMs) };
}
