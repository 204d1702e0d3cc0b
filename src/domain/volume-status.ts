// DescribeVolumeStatus: what EBS reports of a volume's health. Nothing here degrades a volume's I/O and no
// scheduled events touch volumes, so a volume that exists is ok once created, with no events and no actions.
import { type Volume, volumeState } from "./volumes.js";

export interface VolumeStatusReport {
  volumeId: string;
  availabilityZone: string;
  status: "ok" | "insufficient-data";
  details: Array<{ name: "io-enabled" | "io-performance"; status: string }>;
}

/** Only Provisioned IOPS volumes report their I/O performance; the others say not-applicable, as EC2's examples do. */
const provisionedIopsTypes = new Set(["io1", "io2"]);

export function volumeStatusOf(
  volume: Pick<Volume, "volumeId" | "availabilityZone" | "volumeType" | "availableAt" | "attachments">,
  now: Date,
): VolumeStatusReport {
  // A volume still being created has had no checks yet (docs/decisions.md).
  const created = volumeState(volume, now) !== "creating";
  const performance = provisionedIopsTypes.has(volume.volumeType) ? (created ? "normal" : "insufficient-data") : "not-applicable";
  return {
    volumeId: volume.volumeId,
    availabilityZone: volume.availabilityZone,
    status: created ? "ok" : "insufficient-data",
    details: [
      { name: "io-enabled", status: created ? "passed" : "insufficient-data" },
      { name: "io-performance", status: performance },
    ],
  };
}
