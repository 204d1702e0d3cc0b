// How long the things that take time in EC2 take here, on the clock. "real" feels like EC2 (seconds);
// "zero" makes every transition immediate, for tests and scripts (MINI_EC2_DELAYS).
export interface Delays {
  imageAvailableMs: number;
  /** CopyImage: until the copy and its snapshots are available in the destination region. */
  imageCopyMs: number;
}

export const realDelays: Delays = { imageAvailableMs: 4000, imageCopyMs: 15000 };
export const zeroDelays: Delays = { imageAvailableMs: 0, imageCopyMs: 0 };
