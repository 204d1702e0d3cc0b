// The benches' fleets: one zone, us-east-1a, of Nitro servers of 96 vCPUs that serve every family.
/** One zone, us-east-1a, of `servers` Nitro servers of 96 vCPUs. */
export const fleetOf = (servers: number) => ({
  only: ["us-east-1a"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 24,
      threadsPerCore: 2,
      memoryGiB: 384,
      perZone: servers,
      families: ["*"],
    },
  ],
});
