// EC2's limits on a request that its service model does not state: the range of MaxResults per operation (and
// whether EC2 refuses or clamps a larger value), the closed values of members the model types as plain strings,
// and how many items one list may carry. protocol/input-limits.ts applies them to every request, before any handler
// or store sees the input. Sources: docs/sources/ec2-request-limits.md; choices without one are in docs/decisions.md.

export interface MaxResultsRange {
  min: number;
  max: number;
  /** What EC2 does with a larger value: refuse it, or answer at most `max` items (the AWS CLI sends 1000). */
  aboveMax: "refuse" | "clamp";
}

/**
 * Every implemented operation whose MaxResults has no range in the model. Operations whose model shape has one
 * (DescribeInstanceTypes 5-100, DescribeInstanceTypeOfferings 5-1000) are checked by the parser; a start-up check
 * (protocol/input-limits.ts) makes sure no implemented operation is in neither place.
 */
export const maxResultsRanges: Readonly<Record<string, MaxResultsRange>> = {
  DescribeInstances: { min: 5, max: 1000, aboveMax: "refuse" },
  DescribeInstanceStatus: { min: 5, max: 1000, aboveMax: "refuse" },
  DescribeImages: { min: 5, max: 1000, aboveMax: "refuse" },
  DescribeTags: { min: 5, max: 1000, aboveMax: "refuse" },
  DescribeHosts: { min: 5, max: 500, aboveMax: "refuse" },
  DescribeVolumes: { min: 5, max: 500, aboveMax: "clamp" },
  DescribeVolumesModifications: { min: 1, max: 500, aboveMax: "refuse" },
  DescribeSnapshots: { min: 5, max: 1000, aboveMax: "clamp" },
  // The API reference: "between 5 and 1,000; ... larger than 1,000, only 1,000 results are returned".
  DescribeVolumeStatus: { min: 5, max: 1000, aboveMax: "clamp" },
  // aws-cli#3397: "Maximum results allowed are between 1 and 200" for 1000.
  DescribeLaunchTemplateVersions: { min: 1, max: 200, aboveMax: "refuse" },
  // mini-ec2's own operation (docs/extensions.md).
  DescribeFleet: { min: 1, max: 1000, aboveMax: "refuse" },
  // Spot (docs/spot.md): the API reference's ranges.
  DescribeSpotInstanceRequests: { min: 5, max: 1000, aboveMax: "refuse" },
  DescribeSpotPriceHistory: { min: 1, max: 1000, aboveMax: "clamp" },
};

/** Members EC2 treats as enums that the model types as plain strings, per operation: their only values (case matters). */
export const closedValues: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  RegisterImage: { VirtualizationType: ["hvm", "paravirtual"], SriovNetSupport: ["simple"] },
  ExplainLaunch: { Tenancy: ["default", "dedicated", "host"] },
};

/** Items one list of a request may carry, unless listBounds says otherwise (EC2: "should not specify more than 1,000 IDs"). */
export const defaultListBound = 1000;

export interface ListBound {
  max: number;
  /** EC2's own error for the operation, where it has one. */
  error?: "instanceIdsOverLimit";
}

/** Lists with EC2's own, smaller bound: operation -> member -> bound. */
export const listBounds: Readonly<Record<string, Readonly<Record<string, ListBound>>>> = {
  DescribeInstanceStatus: { InstanceIds: { max: 100, error: "instanceIdsOverLimit" } },
  // mini-ec2's own operation (docs/extensions.md); its product is bounded too (services/launch-matrix.ts).
  ExplainLaunchMatrix: { ImageIds: { max: 100 }, InstanceTypes: { max: 1000 } },
};
