// The credit specification of burstable instances (RunInstances' CreditSpecification, Describe/Modify-
// InstanceCreditSpecification, the account's default per family): which mode an instance runs in, and the history
// the credit model (burstable.ts) needs to compute its balances at any time: the launch, every mode change and every
// stop and start, each with its time. The history is kept in the instance's options (one JSON column), see
// docs/neighbours.md, "The credit specification surface".
import {
  type BurstableType,
  burstableType,
  type CreditMode,
  type CreditState,
  CreditWalker,
  creditsAtLaunch,
  creditsAtStart,
  creditsAtStop,
  type DemandSegment,
  defaultCreditMode,
  switchCreditMode,
} from "./burstable.js";
import { Errors } from "./errors.js";

export const burstableFamilies = ["t2", "t3", "t3a", "t4g"] as const;
export type BurstableFamily = (typeof burstableFamilies)[number];

/** Launch and start carry the type, which may change while the instance is stopped (ModifyInstanceAttribute). */
export type CreditEvent =
  | { at: number; kind: "launch"; mode: CreditMode; instanceType: string }
  | { at: number; kind: "mode"; mode: CreditMode }
  | { at: number; kind: "stop" }
  | { at: number; kind: "start"; instanceType: string };

/** What an instance keeps: its mode now, and the events that led there, oldest first. */
export interface InstanceCredits {
  mode: CreditMode;
  events: CreditEvent[];
}

export function familyOf(instanceType: string): BurstableFamily | undefined {
  const family = instanceType.split(".")[0];
  return burstableFamilies.find((f) => f === family);
}

/** EC2's default per family, before the account changes it: T2 standard, T3/T3a/T4g unlimited. */
export function familyDefaultMode(family: BurstableFamily): CreditMode {
  return family === "t2" ? "standard" : "unlimited";
}

/** CpuCredits is a plain string in the model: only these two values mean anything. */
export function parseCreditMode(value: string, parameter: string): CreditMode {
  if (value === "standard" || value === "unlimited") return value;
  throw Errors.invalidParameterValue(`Value (${value}) for parameter ${parameter} is invalid. Valid values are standard and unlimited.`);
}

/**
 * The mode a launch gets: the one asked for, else (on a Dedicated Host) standard, else the account's default for the
 * family. Asking on a type that does not run on credits, or for unlimited on a host, is EC2's error.
 */
export function launchCreditMode(request: {
  instanceType: string;
  requested?: string;
  accountDefault?: CreditMode;
  onDedicatedHost: boolean;
}): CreditMode | undefined {
  const requested = request.requested === undefined ? undefined : parseCreditMode(request.requested, "CreditSpecification.CpuCredits");
  const type = burstableType(request.instanceType);
  if (!type) {
    if (requested) throw Errors.creditSpecificationUnsupported(request.instanceType);
    return undefined;
  }
  if (requested === "unlimited" && request.onDedicatedHost && familyOf(request.instanceType) !== "t2") {
    throw Errors.unlimitedOnDedicatedHost(request.instanceType);
  }
  if (requested) return requested;
  return request.onDedicatedHost ? defaultCreditMode(type, true) : (request.accountDefault ?? defaultCreditMode(type, false));
}

export function launchCredits(mode: CreditMode, instanceType: string, at: number): InstanceCredits {
  return { mode, events: [{ at, kind: "launch", mode, instanceType }] };
}

/**
 * The mode DescribeInstanceCreditSpecifications shows: a burstable instance's (stored, or its family's default for
 * one launched before credits were kept); a non-burstable instance's is standard unless it was unlimited before a
 * resize (the API reference: a T2 resized to an M4 while unlimited is still listed).
 */
export function creditModeOf(instance: { instanceType: string; tenancy: string; options: { credits?: InstanceCredits } }): CreditMode {
  const stored = instance.options.credits?.mode;
  if (stored) return stored;
  const type = burstableType(instance.instanceType);
  return type ? defaultCreditMode(type, instance.tenancy === "host") : "standard";
}

/** Why the mode of this instance cannot be set to `to`, as EC2's error, or undefined. */
export function modeChangeRefusal(instance: { instanceId: string; instanceType: string; tenancy: string }, to: CreditMode) {
  if (!burstableType(instance.instanceType)) return Errors.creditSpecificationUnsupported(instance.instanceType);
  if (to === "unlimited" && instance.tenancy === "host" && familyOf(instance.instanceType) !== "t2")
    return Errors.unlimitedOnDedicatedHost(instance.instanceType);
  return undefined;
}

/** The credits after a mode change at `at`; an instance without a history starts one with its current mode. */
export function changeCreditMode(current: InstanceCredits | undefined, from: CreditMode, to: CreditMode, at: number): InstanceCredits {
  const base = current ?? { mode: from, events: [] };
  if (base.mode === to) return base;
  return { mode: to, events: [...base.events, { at, kind: "mode", mode: to }] };
}

/** The credits after a stop (or terminate) or start at `at`, or undefined for an instance without a history. */
export function creditsAfterLifecycle(
  current: InstanceCredits | undefined,
  command: "start" | "stop" | "terminate" | "reboot",
  instanceType: string,
  at: number,
): InstanceCredits | undefined {
  if (!current || command === "reboot") return undefined;
  const event: CreditEvent = command === "start" ? { at, kind: "start", instanceType } : { at, kind: "stop" };
  return { mode: current.mode, events: [...current.events, event] };
}

/**
 * The credit state at `at`, replayed from the history under a CPU demand timeline (idle by default): the model's
 * launch, stop, start and mode-change rules applied at each event, the walker between them while running. Undefined
 * while the instance has no burstable type (or before its launch).
 */
export function creditStateFromHistory(credits: InstanceCredits, at: number, demand: readonly DemandSegment[] = []): CreditState | undefined {
  return new CreditCursor(credits, demand).advanceTo(at);
}

/**
 * Moves forward through an instance's credit history: each call continues from the last, so reading a state at every
 * period of a window (GetInstanceMetrics) walks the timeline once, not once per period.
 */
export class CreditCursor {
  private state: CreditState | undefined;
  private type: BurstableType | undefined;
  private mode: CreditMode;
  private walker: CreditWalker | undefined;
  private nextEvent = 0;

  constructor(
    private readonly credits: InstanceCredits,
    private readonly demand: readonly DemandSegment[],
  ) {
    this.mode = credits.mode;
  }

  /** The type the instance runs as now (after the events so far), or undefined while stopped. */
  get runningType(): BurstableType | undefined {
    return this.walker ? this.type : undefined;
  }

  /** The state at `at` (not before the last call's): a copy, the caller may keep it. */
  advanceTo(at: number): CreditState | undefined {
    const events = this.credits.events;
    while (this.nextEvent < events.length && events[this.nextEvent]!.at <= at) {
      this.apply(events[this.nextEvent++]!);
    }
    if (this.walker) this.state = this.walker.advanceTo(at);
    return this.state ? { ...this.state } : undefined;
  }

  private apply(event: CreditEvent): void {
    if (this.walker) this.state = { ...this.walker.advanceTo(event.at) };
    const state = this.state;
    switch (event.kind) {
      case "launch":
        this.mode = event.mode;
        this.type = burstableType(event.instanceType);
        this.state = this.type ? creditsAtLaunch(this.type, this.mode, event.at) : undefined;
        break;
      case "mode":
        if (state) this.state = switchCreditMode(state, this.mode, event.mode);
        this.mode = event.mode;
        break;
      case "stop":
        if (state && this.type) this.state = creditsAtStop(this.type, state);
        this.type = undefined;
        break;
      case "start":
        this.type = burstableType(event.instanceType);
        this.state = this.type ? (state ? creditsAtStart(this.type, this.mode, state, event.at) : creditsAtLaunch(this.type, this.mode, event.at)) : undefined;
        break;
    }
    this.walker = this.type && this.state ? new CreditWalker(this.type, this.mode, this.state, this.demand) : undefined;
  }
}
