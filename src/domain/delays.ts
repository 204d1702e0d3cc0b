// How long the things that take time in EC2 take here, on the clock. "real" feels like EC2 (seconds);
// "fast" is a tenth of that, for demos and for tests that must catch a transition under way (a crash test that
// kills the server while a conversion waits); "zero" makes every transition immediate (MINI_EC2_DELAYS).
export interface Delays {
  imageAvailableMs: number;
  /** CopyImage: the copy is pending this long. */
  imageCopyMs: number;
  /** pending → running, at launch and at start. */
  instancePendingMs: number;
  /** stopping → stopped (a forced stop takes a tenth). */
  instanceStoppingMs: number;
  /** shutting-down → terminated. */
  instanceShuttingDownMs: number;
  /** After running, the status checks report `initializing` this long. */
  statusChecksMs: number;
  /** A new volume: creating, then available. */
  volumeAvailableMs: number;
  /** An attachment: attaching, then attached; a detach: detaching, then gone. */
  volumeAttachMs: number;
  volumeDetachMs: number;
  /** A snapshot or a copy: pending, then completed. */
  snapshotCompleteMs: number;
  /** ModifyVolume: modifying, then optimizing, then completed. */
  volumeModifyingMs: number;
  volumeOptimizingMs: number;
  /** A live migration lasts the model's total time times this (docs/migration.md): 1 real, 0.1 fast, 0 zero. */
  migrationTimeScale: number;
}

export const realDelays: Delays = {
  imageAvailableMs: 4000,
  imageCopyMs: 15_000,
  instancePendingMs: 8000,
  instanceStoppingMs: 10000,
  instanceShuttingDownMs: 6000,
  statusChecksMs: 20000,
  volumeAvailableMs: 2000,
  volumeAttachMs: 3000,
  volumeDetachMs: 3000,
  snapshotCompleteMs: 15_000,
  volumeModifyingMs: 5000,
  volumeOptimizingMs: 30_000,
  migrationTimeScale: 1,
};

export const zeroDelays: Delays = Object.fromEntries(Object.keys(realDelays).map((key) => [key, 0])) as unknown as Delays;

export const fastDelays: Delays = Object.fromEntries(Object.entries(realDelays).map(([key, ms]) => [key, ms / 10])) as unknown as Delays;

export const delaysByName: Record<string, Delays> = { real: realDelays, fast: fastDelays, zero: zeroDelays };
