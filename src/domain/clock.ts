// Time, injected wherever the domain needs "now", so that tests and the virtual clock can control it.
import { Errors } from "./errors.js";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The clock every resource lives on: the wall clock plus an offset that only grows. Moving it forward is how a
 * user fast-forwards the simulation (pending instances run, snapshots complete) without waiting. Signatures and
 * session tokens keep the wall clock: a real client signs with real time.
 */
export class VirtualClock implements Clock {
  constructor(
    private readonly wall: Clock,
    private offsetMs = 0,
  ) {}

  now(): Date {
    return new Date(this.wall.now().getTime() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw Errors.invalidParameterValue(`The clock moves forward only: Seconds must be 0 or more, not ${ms / 1000}.`);
    if (ms > maxStepMs) throw Errors.invalidParameterValue(`Seconds must be at most ${maxStepMs / 1000} (a year) in one step.`);
    this.offsetMs += ms;
    return this.now();
  }
}

const maxStepMs = 366 * 24 * 3600 * 1000;
