// Spot through the SDK: RunInstances' InstanceMarketOptions, RequestSpotInstances, DescribeSpotInstanceRequests,
// CancelSpotInstanceRequests and DescribeSpotPriceHistory on a small fleet (each zone of us-east-1: two Nitro
// servers of 96 vCPUs, and a Xen one for m4), where an On-Demand launch interrupts Spot Instances with the two-minute notice.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelSpotInstanceRequestsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSpotPriceHistoryCommand,
  type DescribeSpotPriceHistoryCommandInput,
  type EC2Client,
  RequestSpotInstancesCommand,
  RunInstancesCommand,
  type RunInstancesRequest,
  type SpotInstanceRequest,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { advanceClock } from "../support/extensions.js";
import { createAccount } from "../support/fixtures.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const fleet = {
  only: ["us-east-1"],
  classes: [
    {
      name: "nitro-x86",
      hypervisor: "nitro",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 24,
      threadsPerCore: 2,
      memoryGiB: 768,
      perZone: 2,
      families: ["*"],
    },
    // us-east-1e offers only older types: one Xen server of 72 vCPUs there (and everywhere) for m4.
    {
      name: "xen-gen2",
      hypervisor: "xen",
      architecture: "x86_64",
      sockets: 2,
      coresPerSocket: 18,
      threadsPerCore: 2,
      memoryGiB: 768,
      perZone: 1,
      families: ["m4"],
    },
  ],
};
const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(fleetFile, JSON.stringify(fleet));
  return { MINI_EC2_FLEET_FILE: fleetFile };
});
let imageId: string;
let windowsImageId: string;
beforeAll(async () => {
  const ids = await amazonImageIds(server.ec2());
  imageId = ids.al2Ena;
  windowsImageId = ids.windows;
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error) => error as { name: string; message: string },
  );

async function run(ec2: EC2Client, zone: string, instanceType: string, count: number, extra: Partial<RunInstancesRequest> = {}) {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: imageId,
      InstanceType: instanceType as RunInstancesRequest["InstanceType"],
      MinCount: count,
      MaxCount: count,
      Placement: { AvailabilityZone: zone },
      ...extra,
    }),
  );
  return Instances!;
}

const spot = (options: Record<string, unknown> = {}): Partial<RunInstancesRequest> => ({ InstanceMarketOptions: { MarketType: "spot", SpotOptions: options } });

async function request(ec2: EC2Client, id: string): Promise<SpotInstanceRequest> {
  const { SpotInstanceRequests } = await ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }));
  return SpotInstanceRequests![0]!;
}

async function instance(ec2: EC2Client, id: string) {
  const { Reservations } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return Reservations![0]!.Instances![0]!;
}

async function price(ec2: EC2Client, zone: string, instanceType: string): Promise<number> {
  const { SpotPriceHistory } = await ec2.send(
    new DescribeSpotPriceHistoryCommand({ InstanceTypes: [instanceType as never], AvailabilityZone: zone, ProductDescriptions: ["Linux/UNIX"] }),
  );
  return Number(SpotPriceHistory![0]!.SpotPrice);
}

describe("an On-Demand launch interrupts Spot Instances", () => {
  it("takes the room at once, gives the notice, and terminates the Spot Instance two minutes later", async () => {
    const ec2 = server.ec2();
    const spots = await run(ec2, "us-east-1a", "m5.24xlarge", 2, spot());
    expect(spots.map((i) => i.InstanceLifecycle)).toEqual(["spot", "spot"]);
    const [first, second] = spots.map((i) => i.SpotInstanceRequestId!);
    expect((await request(ec2, first!)).Status?.Code).toBe("fulfilled");
    expect((await request(ec2, first!)).State).toBe("active");
    // A Spot launch never displaces anyone: the zone is full for it.
    expect((await failure(run(ec2, "us-east-1a", "m5.large", 1, spot()))).name).toBe("InsufficientInstanceCapacity");

    const [onDemand] = await run(ec2, "us-east-1a", "m5.large", 1);
    expect(onDemand!.InstanceLifecycle).toBeUndefined();
    const requests = [await request(ec2, first!), await request(ec2, second!)];
    const marked = requests.filter((r) => r.Status?.Code === "marked-for-termination");
    expect(marked).toHaveLength(1);
    expect(marked[0]!.State).toBe("active");
    const victim = marked[0]!.InstanceId!;
    expect((await instance(ec2, victim)).State?.Name).toBe("running");

    await advanceClock(server.url, 121);
    // The due interruption is the world this request meets, settled even in a dry run: the dry run still decides.
    expect((await failure(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"], DryRun: true })))).name).toBe(
      "InvalidInstanceID.NotFound",
    );
    const ended = await instance(ec2, victim);
    expect(["shutting-down", "terminated"]).toContain(ended.State?.Name);
    expect(ended.StateReason?.Code).toBe("Server.SpotInstanceTermination");
    const closed = await request(ec2, marked[0]!.SpotInstanceRequestId!);
    expect(closed.State).toBe("closed");
    expect(closed.Status?.Code).toBe("instance-terminated-no-capacity");
    // The other Spot Instance was not needed and runs on.
    const other = requests.find((r) => r !== marked[0])!;
    expect((await request(ec2, other.SpotInstanceRequestId!)).Status?.Code).toBe("fulfilled");
  });

  it("stops a persistent request's instance (behaviour stop), and starts it again when room returns", async () => {
    const ec2 = server.ec2();
    const [spotInstance] = await run(ec2, "us-east-1d", "m5.24xlarge", 1, spot({ SpotInstanceType: "persistent", InstanceInterruptionBehavior: "stop" }));
    const requestId = spotInstance!.SpotInstanceRequestId!;
    const onDemand = await run(ec2, "us-east-1d", "m5.24xlarge", 2);
    expect((await request(ec2, requestId)).Status?.Code).toBe("marked-for-stop");
    await advanceClock(server.url, 150);
    expect((await instance(ec2, spotInstance!.InstanceId!)).State?.Name).toBe("stopped");
    const disabled = await request(ec2, requestId);
    expect([disabled.State, disabled.Status?.Code]).toEqual(["disabled", "instance-stopped-no-capacity"]);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [onDemand[0]!.InstanceId!] }));
    const restarted = await request(ec2, requestId);
    expect([restarted.State, restarted.Status?.Code, restarted.InstanceId]).toEqual(["active", "fulfilled", spotInstance!.InstanceId]);
    expect(["pending", "running"]).toContain((await instance(ec2, spotInstance!.InstanceId!)).State?.Name);
    // The zone is left empty for the price tests.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [spotInstance!.InstanceId!, onDemand[1]!.InstanceId!] }));
  });
});

describe("the Spot price", () => {
  it("follows the zone's utilization in DescribeSpotPriceHistory, never above On-Demand", async () => {
    const ec2 = server.ec2();
    const before = await price(ec2, "us-east-1b", "m5.large");
    await run(ec2, "us-east-1b", "m5.24xlarge", 1);
    await advanceClock(server.url, 60);
    const after = await price(ec2, "us-east-1b", "m5.large");
    expect(after).toBeGreaterThan(before);
    await run(ec2, "us-east-1b", "m5.24xlarge", 1);
    const full = await price(ec2, "us-east-1b", "m5.large");
    expect(full).toBeGreaterThan(after);
    // m5.large's On-Demand price in the model: 2 × 0.0345 + 8 × 0.004 (docs/spot.md); a full zone pays exactly that.
    expect(full).toBeCloseTo(0.101, 6);

    const { SpotPriceHistory } = await ec2.send(
      new DescribeSpotPriceHistoryCommand({
        InstanceTypes: ["m5.large"],
        AvailabilityZone: "us-east-1b",
        ProductDescriptions: ["Linux/UNIX"],
        StartTime: new Date(Date.now() - 3600_000),
      }),
    );
    const prices = SpotPriceHistory!.map((p) => Number(p.SpotPrice));
    expect(prices.slice(0, 3)).toEqual([full, after, before]);
    const times = SpotPriceHistory!.map((p) => p.Timestamp!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("prices every product EC2 names, each licence on top of the Linux price, and filters by product description", async () => {
    const ec2 = server.ec2();
    const history = async (input: Partial<DescribeSpotPriceHistoryCommandInput>) =>
      (await ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["m5.large", "m5.4xlarge"], AvailabilityZone: "us-east-1c", ...input })))
        .SpotPriceHistory!;
    const every = await history({});
    const priceOf = (type: string, product: string) => Number(every.find((p) => p.InstanceType === type && p.ProductDescription === product)!.SpotPrice);
    const products = ["Linux/UNIX", "Windows", "Red Hat Enterprise Linux", "SUSE Linux"];
    expect(new Set(every.map((p) => p.ProductDescription))).toEqual(new Set(products.flatMap((p) => [p, `${p} (Amazon VPC)`])));
    // The licences of docs/spot.md: Windows 0.046 a vCPU, RHEL 0.06 up to 4 vCPUs and 0.13 above, SUSE 0.03 up to 2 and 0.10 above.
    const licences = { "m5.large": [0.092, 0.06, 0.03], "m5.4xlarge": [0.736, 0.13, 0.1] };
    for (const [type, [windows, rhel, suse]] of Object.entries(licences)) {
      const linux = priceOf(type, "Linux/UNIX");
      expect(priceOf(type, "Windows") - linux).toBeCloseTo(windows!, 6);
      expect(priceOf(type, "Red Hat Enterprise Linux") - linux).toBeCloseTo(rhel!, 6);
      expect(priceOf(type, "SUSE Linux") - linux).toBeCloseTo(suse!, 6);
      for (const product of products) expect(priceOf(type, `${product} (Amazon VPC)`)).toBe(priceOf(type, product));
    }
    const windowsOnly = await history({ Filters: [{ Name: "product-description", Values: ["Windows*"] }] });
    expect(new Set(windowsOnly.map((p) => p.ProductDescription))).toEqual(new Set(["Windows", "Windows (Amazon VPC)"]));
    const rhelOnly = await history({ ProductDescriptions: ["Red Hat Enterprise Linux"] });
    expect(rhelOnly.map((p) => [p.InstanceType, p.ProductDescription, Number(p.SpotPrice)])).toEqual(
      expect.arrayContaining([
        ["m5.large", "Red Hat Enterprise Linux", priceOf("m5.large", "Red Hat Enterprise Linux")],
        ["m5.4xlarge", "Red Hat Enterprise Linux", priceOf("m5.4xlarge", "Red Hat Enterprise Linux")],
      ]),
    );
    expect(rhelOnly).toHaveLength(2);
  });

  it("sells a Windows image's Spot Instance as Windows: its request's product, its default maximum and the price its maximum must meet", async () => {
    const ec2 = server.ec2();
    const windows = async () =>
      Number(
        (await ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["m5.large"], AvailabilityZone: "us-east-1a", ProductDescriptions: ["Windows"] })))
          .SpotPriceHistory![0]!.SpotPrice,
      );
    const linux = await price(ec2, "us-east-1a", "m5.large");
    const between = ((linux + (await windows())) / 2).toFixed(4);
    // A maximum that covers the Linux price but not the Windows one: enough for Linux, too low for Windows.
    const refused = await failure(run(ec2, "us-east-1a", "m5.large", 1, { ImageId: windowsImageId, ...spot({ MaxPrice: between }) }));
    expect(refused.name).toBe("SpotMaxPriceTooLow");
    expect(refused.message).toContain(`${(await windows()).toFixed(6)}`);
    const [onLinux] = await run(ec2, "us-east-1a", "m5.large", 1, spot({ MaxPrice: between }));
    expect((await request(ec2, onLinux!.SpotInstanceRequestId!)).ProductDescription).toBe("Linux/UNIX");
    // Without a maximum the request shows the On-Demand price of its product: m5.large's Linux 0.101 and 2 × 0.046 of licence.
    const { SpotInstanceRequests } = await ec2.send(
      new RequestSpotInstancesCommand({
        InstanceCount: 1,
        LaunchSpecification: { ImageId: windowsImageId, InstanceType: "m5.large", Placement: { AvailabilityZone: "us-east-1a" } },
      }),
    );
    const [made] = SpotInstanceRequests!;
    expect([made!.ProductDescription, made!.SpotPrice]).toEqual(["Windows", "0.193000"]);
    const fulfilled = await request(ec2, made!.SpotInstanceRequestId!);
    expect([fulfilled.Status?.Code, fulfilled.ProductDescription]).toEqual(["fulfilled", "Windows"]);
    expect((await instance(ec2, fulfilled.InstanceId!)).Platform).toBe("windows");
  });

  it("interrupts a request whose maximum the price passes", async () => {
    const ec2 = server.ec2();
    const idle = await price(ec2, "us-east-1d", "m5.large");
    const [cheap] = await run(ec2, "us-east-1d", "m5.large", 1, spot({ MaxPrice: (idle + 0.0005).toFixed(4) }));
    await run(ec2, "us-east-1d", "m5.24xlarge", 1);
    const marked = await request(ec2, cheap!.SpotInstanceRequestId!);
    expect(marked.Status?.Code).toBe("marked-for-termination");
    await advanceClock(server.url, 121);
    expect((await request(ec2, cheap!.SpotInstanceRequestId!)).Status?.Code).toBe("instance-terminated-by-price");
  });
});

describe("RequestSpotInstances", () => {
  it("waits for capacity, is fulfilled when room returns, and again after an interruption (persistent)", async () => {
    const ec2 = server.ec2();
    const blockers = await run(ec2, "us-east-1c", "m5.24xlarge", 2);
    const { SpotInstanceRequests } = await ec2.send(
      new RequestSpotInstancesCommand({
        Type: "persistent",
        LaunchSpecification: { ImageId: imageId, InstanceType: "m5.24xlarge", Placement: { AvailabilityZone: "us-east-1c" } },
        TagSpecifications: [{ ResourceType: "spot-instances-request", Tags: [{ Key: "team", Value: "batch" }] }],
      }),
    );
    const requestId = SpotInstanceRequests![0]!.SpotInstanceRequestId!;
    expect(requestId).toMatch(/^sir-[a-z0-9]{8}$/);
    expect([SpotInstanceRequests![0]!.State, SpotInstanceRequests![0]!.Status?.Code]).toEqual(["open", "pending-evaluation"]);
    const waiting = await request(ec2, requestId);
    expect([waiting.State, waiting.Status?.Code]).toEqual(["open", "capacity-not-available"]);
    expect(waiting.Tags).toEqual([{ Key: "team", Value: "batch" }]);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [blockers[0]!.InstanceId!] }));
    const fulfilled = await request(ec2, requestId);
    expect([fulfilled.State, fulfilled.Status?.Code, fulfilled.LaunchedAvailabilityZone]).toEqual(["active", "fulfilled", "us-east-1c"]);
    const firstInstance = fulfilled.InstanceId!;
    expect((await instance(ec2, firstInstance)).SpotInstanceRequestId).toBe(requestId);

    const [reclaimer] = await run(ec2, "us-east-1c", "m5.24xlarge", 1);
    await advanceClock(server.url, 121);
    const reopened = await request(ec2, requestId);
    expect([reopened.State, reopened.Status?.Code]).toEqual(["open", "instance-terminated-no-capacity"]);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [reclaimer!.InstanceId!] }));
    const again = await request(ec2, requestId);
    expect(again.State).toBe("active");
    expect(again.InstanceId).toBeDefined();
    expect(again.InstanceId).not.toBe(firstInstance);
  });

  it("cancels: an open request before fulfilment, an active one with its instance left running", async () => {
    const ec2 = server.ec2();
    const { SpotInstanceRequests } = await ec2.send(
      new RequestSpotInstancesCommand({
        InstanceCount: 2,
        SpotPrice: "0.0001",
        LaunchSpecification: { ImageId: imageId, InstanceType: "m5.large", Placement: { AvailabilityZone: "us-east-1f" } },
      }),
    );
    const [low] = SpotInstanceRequests!.map((r) => r.SpotInstanceRequestId!);
    expect((await request(ec2, low!)).Status?.Code).toBe("price-too-low");
    const [running] = await run(ec2, "us-east-1f", "m5.large", 1, spot());
    const { CancelledSpotInstanceRequests } = await ec2.send(
      new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [low!, running!.SpotInstanceRequestId!] }),
    );
    expect(CancelledSpotInstanceRequests!.map((c) => c.State)).toEqual(["cancelled", "cancelled"]);
    expect((await request(ec2, low!)).Status?.Code).toBe("canceled-before-fulfillment");
    expect((await request(ec2, running!.SpotInstanceRequestId!)).Status?.Code).toBe("request-canceled-and-instance-running");
    expect(["pending", "running"]).toContain((await instance(ec2, running!.InstanceId!)).State?.Name);
  });

  it("pages and filters DescribeSpotInstanceRequests", async () => {
    const ec2 = server.ec2();
    const { SpotInstanceRequests: all } = await ec2.send(new DescribeSpotInstanceRequestsCommand({}));
    const { SpotInstanceRequests: page, NextToken } = await ec2.send(new DescribeSpotInstanceRequestsCommand({ MaxResults: 5 }));
    expect(page).toHaveLength(Math.min(5, all!.length));
    if (all!.length > 5) expect(NextToken).toBeDefined();
    const { SpotInstanceRequests: cancelled } = await ec2.send(
      new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: "state", Values: ["cancelled"] }] }),
    );
    expect(cancelled!.length).toBeGreaterThan(0);
    expect(cancelled!.every((r) => r.State === "cancelled")).toBe(true);
  });
});

describe("isolation and bad input", () => {
  it("lets one account's On-Demand launch interrupt another's Spot Instance, and shows neither the other's details", async () => {
    const owner = server.ec2({ credentials: await createAccount(server, "333344445555") });
    const spots = await run(owner, "us-east-1e", "m4.large", 36, spot());
    const ec2 = server.ec2();
    const [mine] = await run(ec2, "us-east-1e", "m4.large", 1);
    const { SpotInstanceRequests } = await owner.send(
      new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: "status-code", Values: ["marked-for-termination"] }] }),
    );
    expect(SpotInstanceRequests).toHaveLength(1);
    expect(spots.map((i) => i.InstanceId)).toContain(SpotInstanceRequests![0]!.InstanceId);
    // The launcher sees its own instance and nothing of the Spot Instance it displaced.
    const { SpotInstanceRequests: seen } = await ec2.send(
      new DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: "launched-availability-zone", Values: ["us-east-1e"] }] }),
    );
    expect(seen).toEqual([]);
    const { Reservations } = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "availability-zone", Values: ["us-east-1e"] }] }));
    expect(Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([mine!.InstanceId]);
    const { Reservations: spotOnly } = await owner.send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-lifecycle", Values: ["spot"] }] }));
    expect(spotOnly!.flatMap((r) => r.Instances!)).toHaveLength(36);
  });

  it("never shows one account's requests to another", async () => {
    const ec2 = server.ec2();
    const [mine] = await run(ec2, "us-east-1f", "m5.large", 1, spot());
    const other = server.ec2({ credentials: await createAccount(server, "222233334444") });
    const { SpotInstanceRequests } = await other.send(new DescribeSpotInstanceRequestsCommand({}));
    expect(SpotInstanceRequests).toEqual([]);
    expect((await failure(other.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [mine!.SpotInstanceRequestId!] })))).name).toBe(
      "InvalidSpotInstanceRequestID.NotFound",
    );
    expect((await failure(other.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [mine!.SpotInstanceRequestId!] })))).name).toBe(
      "InvalidSpotInstanceRequestID.NotFound",
    );
  });

  it("answers EC2's codes", async () => {
    const ec2 = server.ec2();
    const cases: Array<[Partial<RunInstancesRequest>, string]> = [
      [spot({ InstanceInterruptionBehavior: "stop" }), "InvalidParameterCombination"],
      [spot({ SpotInstanceType: "persistent", InstanceInterruptionBehavior: "terminate" }), "InvalidParameterCombination"],
      [spot({ MaxPrice: "cheap" }), "InvalidParameterValue"],
      [spot({ MaxPrice: "0.0001" }), "SpotMaxPriceTooLow"],
      [spot({ BlockDurationMinutes: 60 }), "InvalidParameterCombination"],
      [spot({ ValidUntil: new Date(Date.now() + 3600_000) }), "InvalidParameterCombination"],
    ];
    for (const [extra, code] of cases) expect((await failure(run(ec2, "us-east-1f", "m5.large", 1, extra))).name, JSON.stringify(extra)).toBe(code);
    expect((await failure(ec2.send(new DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ["sir-bad"] })))).name).toBe(
      "InvalidSpotInstanceRequestID.Malformed",
    );
    expect((await failure(ec2.send(new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ["sir-abcd1234"] })))).name).toBe(
      "InvalidSpotInstanceRequestID.NotFound",
    );
    expect((await failure(ec2.send(new RequestSpotInstancesCommand({ LaunchSpecification: { InstanceType: "m5.large" } })))).name).toBe("MissingParameter");
    const tooMany = new RequestSpotInstancesCommand({ InstanceCount: 1001, LaunchSpecification: { ImageId: imageId, InstanceType: "m5.large" } });
    expect((await failure(ec2.send(tooMany))).name).toBe("MaxSpotInstanceCountExceeded");
    const [oneTime] = await run(ec2, "us-east-1f", "m5.large", 1, spot());
    const stop = await failure(ec2.send(new StopInstancesCommand({ InstanceIds: [oneTime!.InstanceId!] })));
    expect([stop.name, stop.message]).toEqual([
      "UnsupportedOperation",
      `You can't stop the Spot Instance '${oneTime!.InstanceId}' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.`,
    ]);
    expect((await failure(ec2.send(new DescribeSpotPriceHistoryCommand({ InstanceTypes: ["m5.huge" as never] })))).name).toBe("InvalidParameterValue");
  });
});

describe("the AWS CLI", () => {
  it("requests, describes and cancels a Spot request", async () => {
    const requested = await aws(server.url, [
      "ec2",
      "request-spot-instances",
      "--instance-count",
      "1",
      "--launch-specification",
      JSON.stringify({ ImageId: imageId, InstanceType: "m5.large", Placement: { AvailabilityZone: "us-east-1f" } }),
    ]);
    expect(requested.code, requested.stderr).toBe(0);
    const id = JSON.parse(requested.stdout).SpotInstanceRequests[0].SpotInstanceRequestId;
    const described = await aws(server.url, ["ec2", "describe-spot-instance-requests", "--spot-instance-request-ids", id]);
    expect(JSON.parse(described.stdout).SpotInstanceRequests[0].Status.Code).toBe("fulfilled");
    const history = await aws(server.url, ["ec2", "describe-spot-price-history", "--instance-types", "m5.large", "--availability-zone", "us-east-1f"]);
    expect(Number(JSON.parse(history.stdout).SpotPriceHistory[0].SpotPrice)).toBeGreaterThan(0);
    const cancelled = await aws(server.url, ["ec2", "cancel-spot-instance-requests", "--spot-instance-request-ids", id]);
    expect(JSON.parse(cancelled.stdout).CancelledSpotInstanceRequests[0].State).toBe("cancelled");
  });
});
