// DescribeHosts' filter names, read from a Dedicated Host.
import type { DedicatedHost } from "../dedicated-hosts.js";
import type { FilterSpec } from "../filters.js";

export const hostFilters: FilterSpec<DedicatedHost> = {
  fields: {
    "auto-placement": (h) => h.autoPlacement,
    "availability-zone": (h) => h.availabilityZone,
    "client-token": (h) => h.clientToken,
    // mini-ec2 sells no host reservations.
    "host-reservation-id": () => undefined,
    // A host allocated for a family has no instance type (DescribeHosts shows none).
    "instance-type": (h) => h.instanceType || undefined,
    state: (h) => h.state,
  },
  tags: (h) => h.tags,
};
