// How long the things that take time in EC2 take here, on the clock. "real" feels like EC2 (seconds);
// "zero" makes every transition immediate, for tests and scripts (MINI_EC2_DELAYS).
export interface Delays {
  imageAvailableMs: number;
  /** pending → running, at launch and at start. */
  instancePendingMs: number;
  /** stopping → stopped (a forced stop takes a tenth). */
  instanceStoppingMs: number;
  /** shutting-down → terminated. */
  instanceShuttingDownMs: number;
  /** After running, the status checks report `initializing` this long. */
  statusChecksMs: number;
}

export const realDelays: Delays = {
  imageAvailableMs: 4000,
  instancePendingMs: 8000,
  instanceStoppingMs: 10000,
  instanceShuttingDownMs: 6000,
  statusChecksMs: 20000,
};

export const zeroDelays: Delays = { imageAvailableMs: 0, instancePendingMs: 0, instanceStoppingMs: 0, instanceShuttingDownMs: 0, statusChecksMs: 0 };
