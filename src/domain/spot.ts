// Spot Instances as EC2 runs them: requests and their states and status codes, the options RunInstances and
// RequestSpotInstances accept or refuse, the interruption (a two-minute notice, then terminate, stop or hibernate)
// and what it leaves behind. Pure: the price is in domain/spot-price.ts, the store applies what these decide.
// Sources and choices: docs/spot.md.
import { randomBytes } from "node:crypto";
import { Errors } from "./errors.js";
import type { Footprint } from "./fleet.js";
import type { ProductDescription } from "./spot-price.js";

export type SpotRequestState = "open" | "active" | "closed" | "cancelled" | "failed" | "disabled";
export type SpotRequestType = "one-time" | "persistent";
export type InterruptionBehavior = "terminate" | "stop" | "hibernate";
/** Why EC2 takes a Spot Instance back. */
export type InterruptionCause = "no-capacity" | "by-price";

export interface SpotRequest {
  spotInstanceRequestId: string;
  accountId: string;
  region: string;
  type: SpotRequestType;
  state: SpotRequestState;
  statusCode: string;
  statusMessage: string;
  statusUpdatedAt: Date;
  createdAt: Date;
  /** USD an hour; none: the On-Demand price, EC2's default. */
  maxPrice?: number;
  interruptionBehavior: InterruptionBehavior;
  validFrom?: Date;
  validUntil?: Date;
  instanceType: string;
  productDescription: ProductDescription;
  /** The zone the launch specification asked for. */
  availabilityZone?: string;
  /** What fulfils the request: the RunInstances request it came from or stands for (a LaunchRequest, as JSON). */
  launchSpecification: string;
  footprint: Footprint;
  instanceId?: string;
  launchedAvailabilityZone?: string;
  /** Set by an interruption: when the notice was given, when the action runs, and why. */
  noticeAt?: Date;
  actionAt?: Date;
  cause?: InterruptionCause;
  /** RunInstances' requests are the instance's own: they end with it and are not fulfilled again elsewhere. */
  fromRunInstances: boolean;
}

/** The notice EC2 gives before a stop or terminate (spot-instance-termination-notices). */
export const interruptionNoticeMs = 2 * 60 * 1000;

/** sir- and eight lowercase letters or digits, as EC2 names them (sir-6gbi5k5h). */
export function newSpotRequestId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return `sir-${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("")}`;
}

export function isWellFormedSpotRequestId(id: string): boolean {
  return /^sir-[a-z0-9]{8}$/.test(id);
}

/** EC2's words for each status code (spot-request-status). Codes with a price or a zone fill them in. */
export function statusMessage(code: string, detail: { price?: string; maxPrice?: string } = {}): string {
  switch (code) {
    case "pending-evaluation":
      return "Your Spot request has been submitted for review, and is pending evaluation.";
    case "capacity-not-available":
      return "There is no capacity available for the instance type and Availability Zone you requested.";
    case "price-too-low":
      return `Your Spot request price of ${detail.maxPrice} is lower than the minimum required Spot request fulfillment price of ${detail.price}.`;
    case "fulfilled":
      return "Your spot request is fulfilled.";
    case "marked-for-termination":
      return "Your Spot Instance is marked for termination: it will be terminated in two minutes.";
    case "marked-for-stop":
      return "Your Spot Instance is marked to be stopped.";
    case "instance-terminated-no-capacity":
      return "Your Spot Instance was terminated because there is no more capacity available for the instance type in the Availability Zone.";
    case "instance-terminated-by-price":
      return "Your Spot Instance was terminated because the Spot price rose above your maximum price.";
    case "instance-stopped-no-capacity":
      return "Your Spot Instance was stopped because there is no more capacity available for the instance type in the Availability Zone.";
    case "instance-stopped-by-price":
      return "Your Spot Instance was stopped because the Spot price rose above your maximum price.";
    case "canceled-before-fulfillment":
      return "Your Spot request was canceled before it was fulfilled.";
    case "request-canceled-and-instance-running":
      return "Your Spot request was canceled but the instance is still running.";
    case "instance-terminated-by-user":
      return "Your Spot Instance was terminated by you.";
    case "schedule-expired":
      return "Your Spot request expired before it could be fulfilled.";
    default:
      return code;
  }
}

/** A request's state and status code at a moment, with the code's message. */
export function withStatus(
  state: SpotRequestState,
  code: string,
  at: Date,
  message?: string,
): Pick<SpotRequest, "state" | "statusCode" | "statusMessage" | "statusUpdatedAt"> {
  return { state, statusCode: code, statusMessage: message ?? statusMessage(code), statusUpdatedAt: at };
}

/** The Spot options of either operation, as the caller sent them. */
export interface SpotOptionsInput {
  operation: "RunInstances" | "RequestSpotInstances";
  type?: string;
  interruptionBehavior?: string;
  maxPrice?: string;
  validFrom?: Date;
  validUntil?: Date;
  blockDurationMinutes?: number;
  launchGroup?: string;
  availabilityZoneGroup?: string;
}

export interface SpotOptions {
  type: SpotRequestType;
  interruptionBehavior: InterruptionBehavior;
  maxPrice?: number;
  validFrom?: Date;
  validUntil?: Date;
}

/** Checks the options by EC2's rules and answers them with EC2's defaults (one-time, terminate, the On-Demand price). */
export function spotOptions(input: SpotOptionsInput, now: Date): SpotOptions {
  const type = (input.type ?? "one-time") as SpotRequestType;
  const interruptionBehavior = (input.interruptionBehavior ?? "terminate") as InterruptionBehavior;
  if (input.blockDurationMinutes !== undefined)
    throw Errors.invalidParameterCombination("Spot blocks (BlockDurationMinutes) are no longer offered: drop BlockDurationMinutes.");
  if (input.launchGroup !== undefined || input.availabilityZoneGroup !== undefined)
    throw Errors.invalidParameterCombination(
      "Launch groups and Availability Zone groups are not modelled by mini-ec2: drop LaunchGroup and AvailabilityZoneGroup, and request each instance on its own.",
    );
  // Stop and hibernate keep the instance for the request to start again: only a persistent request can (stop-spot-instances).
  if (interruptionBehavior !== "terminate" && type !== "persistent")
    throw Errors.invalidParameterCombination(
      `The interruption behavior ${interruptionBehavior} requires a persistent Spot request: set the Spot instance type to persistent, or the interruption behavior to terminate.`,
    );
  // RunInstances' persistent request keeps its one instance, which only a stop can keep.
  if (input.operation === "RunInstances" && type === "persistent" && interruptionBehavior === "terminate")
    throw Errors.invalidParameterCombination(
      "A persistent Spot request made by RunInstances must have the interruption behavior stop or hibernate: set InstanceInterruptionBehavior, or use a one-time request.",
    );
  let maxPrice: number | undefined;
  if (input.maxPrice !== undefined) {
    maxPrice = /^\d+(\.\d+)?$/.test(input.maxPrice.trim()) ? Number(input.maxPrice) : Number.NaN;
    if (!(maxPrice > 0))
      throw Errors.invalidParameterValue(`Invalid value '${input.maxPrice}' for the maximum Spot price: give a positive number of USD an hour, such as 0.05.`);
  }
  for (const [name, date] of [
    ["ValidFrom", input.validFrom],
    ["ValidUntil", input.validUntil],
  ] as const)
    if (date && Number.isNaN(date.getTime())) throw Errors.invalidParameterValue(`${name} is not a date: give an ISO 8601 date and time.`);
  if (input.validUntil !== undefined) {
    if (input.operation === "RunInstances" && type !== "persistent")
      throw Errors.invalidParameterCombination("ValidUntil applies to persistent Spot requests only: set SpotInstanceType to persistent, or drop ValidUntil.");
    if (input.validUntil.getTime() <= now.getTime())
      throw Errors.invalidParameterValue(`The ValidUntil date ${input.validUntil.toISOString()} is in the past: give a later date, or none.`);
  }
  if (input.validFrom && input.validUntil && input.validFrom.getTime() >= input.validUntil.getTime())
    throw Errors.invalidParameterValue("ValidFrom must be before ValidUntil.");
  return {
    type,
    interruptionBehavior,
    ...(maxPrice !== undefined ? { maxPrice } : {}),
    ...(input.validFrom ? { validFrom: input.validFrom } : {}),
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
  };
}

/** The notice of an interruption: marked now, acted on two minutes later; hibernation begins at once (hibernate-spot-instances). */
export function interruption(request: Pick<SpotRequest, "interruptionBehavior">, cause: InterruptionCause, now: Date): Partial<SpotRequest> {
  const code = request.interruptionBehavior === "terminate" ? "marked-for-termination" : "marked-for-stop";
  const actionAt = new Date(now.getTime() + (request.interruptionBehavior === "hibernate" ? 0 : interruptionNoticeMs));
  return { statusCode: code, statusMessage: statusMessage(code), statusUpdatedAt: now, noticeAt: now, actionAt, cause };
}

/** The request once its interruption's action has run (spot-request-status: the codes by behaviour and cause). */
export function afterInterruption(request: Pick<SpotRequest, "interruptionBehavior" | "type" | "cause">, at: Date): Partial<SpotRequest> {
  const cause = request.cause ?? "no-capacity";
  if (request.interruptionBehavior === "terminate") {
    const code = cause === "by-price" ? "instance-terminated-by-price" : "instance-terminated-no-capacity";
    // A persistent request opens again for a new instance; a one-time one is over.
    return withStatus(request.type === "persistent" ? "open" : "closed", code, at);
  }
  const code = cause === "by-price" ? "instance-stopped-by-price" : "instance-stopped-no-capacity";
  return withStatus("disabled", code, at);
}

/** The instance's side of the action: EC2's state reason for it (StateReason). */
export function interruptionStateReason(behavior: InterruptionBehavior): string {
  return behavior === "terminate" ? "Server.SpotInstanceTermination" : "Server.SpotInstanceShutdown";
}

/** CancelSpotInstanceRequests: what a request becomes. Its instance keeps running (EC2 does not terminate it). */
export function cancelled(request: Pick<SpotRequest, "state" | "instanceId">, now: Date): Partial<SpotRequest> | undefined {
  if (request.state === "cancelled" || request.state === "closed" || request.state === "failed") return undefined;
  const code = request.instanceId && request.state !== "open" ? "request-canceled-and-instance-running" : "canceled-before-fulfillment";
  return withStatus("cancelled", code, now);
}

/** Whether a request still waits for an instance (open, or disabled with its instance stopped by EC2). */
export function awaitsCapacity(request: Pick<SpotRequest, "state" | "validUntil">, now: Date): boolean {
  if (request.validUntil && request.validUntil.getTime() <= now.getTime()) return false;
  return request.state === "open" || request.state === "disabled";
}
