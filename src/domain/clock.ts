// Time, injected wherever the domain needs "now", so that tests and the virtual clock can control it.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
