// The lifecycle on the virtual clock, with EC2's real-feeling delays: transitions take time, AdvanceClock skips
// it, SDK waiters genuinely wait, and illegal transitions get IncorrectInstanceState.
import {
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  GetConsoleOutputCommand,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { advanceClock } from "../support/extensions.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer({ MINI_EC2_DELAYS: "real" });
let images: Awaited<ReturnType<typeof amazonImageIds>>;
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
  await advanceClock(server.url, 10); // the seeded images are available long ago; nothing else pending
});

const ec2 = () => server.ec2();
async function launch(imageId: string, instanceType: _InstanceType): Promise<string> {
  const { Instances } = await ec2().send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
  );
  return Instances![0]!.InstanceId!;
}
async function stateOf(instanceId: string): Promise<string> {
  const { Reservations } = await ec2().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Reservations![0]!.Instances![0]!.State!.Name!;
}

describe("the instance lifecycle", () => {
  it("runs pending → running → stopping → stopped → pending → running → shutting-down → terminated on the clock", async () => {
    const id = await launch(images.al2Ena, "m5.large");
    expect(await stateOf(id)).toBe("pending");
    const stopTooEarly = await ec2()
      .send(new StopInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(stopTooEarly.name).toBe("IncorrectInstanceState");
    expect(stopTooEarly.message).toBe(`Instance '${id}' cannot be stopped as it has never reached the 'running' state.`);

    await advanceClock(server.url, 30);
    expect(await stateOf(id)).toBe("running");
    const stopped = await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopped.StoppingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 64, Name: "stopping" }, PreviousState: { Code: 16, Name: "running" } }]);
    const startWhileStopping = await ec2()
      .send(new StartInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(startWhileStopping.name).toBe("IncorrectInstanceState");
    await advanceClock(server.url, 30);
    expect(await stateOf(id)).toBe("stopped");

    const started = await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(started.StartingInstances![0]).toMatchObject({ CurrentState: { Name: "pending" }, PreviousState: { Name: "stopped" } });
    await advanceClock(server.url, 30);
    await ec2().send(new RebootInstancesCommand({ InstanceIds: [id] }));
    expect(await stateOf(id)).toBe("running");

    const terminated = await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminated.TerminatingInstances![0]).toMatchObject({ CurrentState: { Code: 32, Name: "shutting-down" }, PreviousState: { Name: "running" } });
    await advanceClock(server.url, 30);
    expect(await stateOf(id)).toBe("terminated");
    const startTerminated = await ec2()
      .send(new StartInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(startTerminated.name).toBe("IncorrectInstanceState");

    // Visible for an hour of virtual time, then gone.
    await advanceClock(server.url, 3700);
    const gone = await ec2()
      .send(new DescribeInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(gone.name).toBe("InvalidInstanceID.NotFound");
    expect(gone.message).toBe(`The instance ID '${id}' does not exist`);
  });

  it("lets SDK waiters wait for running and stopped", async () => {
    const id = await launch(images.al2Ena, "t3.micro");
    const ticking = setInterval(() => void advanceClock(server.url, 2), 300);
    try {
      const running = await waitUntilInstanceRunning({ client: ec2(), maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { InstanceIds: [id] });
      expect(running.state).toBe("SUCCESS");
      await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
      const stopped = await waitUntilInstanceStopped({ client: ec2(), maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { InstanceIds: [id] });
      expect(stopped.state).toBe("SUCCESS");
    } finally {
      clearInterval(ticking);
    }
  });

  it("honours DisableApiTermination", async () => {
    const { Instances } = await ec2().send(
      new RunInstancesCommand({ ImageId: images.al2Ena, InstanceType: "m5.large", MinCount: 1, MaxCount: 1, DisableApiTermination: true }),
    );
    const id = Instances![0]!.InstanceId!;
    const refused = await ec2()
      .send(new TerminateInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(refused.name).toBe("OperationNotPermitted");
    expect(refused.message).toBe(`The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
    // A dry run makes the same check, and answers DryRunOperation only once it would pass.
    const dryRefused = await ec2()
      .send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true }))
      .catch((e) => e);
    expect(dryRefused.name).toBe("OperationNotPermitted");
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    const dryRun = await ec2()
      .send(new TerminateInstancesCommand({ InstanceIds: [id], DryRun: true }))
      .catch((e) => e);
    expect(dryRun.name).toBe("DryRunOperation");
    expect(await stateOf(id)).not.toBe("shutting-down");
    await ec2().send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });

  it("decides a dry run of start, stop and reboot: an unknown instance is NotFound, a known one DryRunOperation and unchanged", async () => {
    const id = await launch(images.al2Ena, "m5.large");
    const dry = (send: Promise<unknown>) =>
      send.then(
        () => "sent",
        (e) => e.name as string,
      );
    const missing = "i-0123456789abcdef0";
    expect(await dry(ec2().send(new StopInstancesCommand({ InstanceIds: [missing], DryRun: true })))).toBe("InvalidInstanceID.NotFound");
    expect(await dry(ec2().send(new StartInstancesCommand({ InstanceIds: [missing], DryRun: true })))).toBe("InvalidInstanceID.NotFound");
    expect(await dry(ec2().send(new RebootInstancesCommand({ InstanceIds: [missing], DryRun: true })))).toBe("InvalidInstanceID.NotFound");
    // A pending instance cannot be stopped, dry run or not (IncorrectInstanceState): wait until it runs.
    expect(await dry(ec2().send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true })))).toBe("IncorrectInstanceState");
    await advanceClock(server.url, 30);
    const before = await stateOf(id);
    expect(before).toBe("running");
    expect(await dry(ec2().send(new StopInstancesCommand({ InstanceIds: [id], DryRun: true })))).toBe("DryRunOperation");
    expect(await dry(ec2().send(new RebootInstancesCommand({ InstanceIds: [id], DryRun: true })))).toBe("DryRunOperation");
    expect(await stateOf(id)).toBe(before);
  });
});

describe("changing the type of a stopped instance", () => {
  it("refuses while running, accepts when stopped, and checks ENA at start with the StartInstances wording", async () => {
    const id = await launch(images.hvmNoEna, "m4.large");
    await advanceClock(server.url, 30);
    const running = await ec2()
      .send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "c5.large" } }))
      .catch((e) => e);
    expect(running.name).toBe("IncorrectInstanceState");
    expect(running.message).toBe(`The instance '${id}' is not in the 'stopped' state.`);

    await ec2().send(new StopInstancesCommand({ InstanceIds: [id] }));
    await advanceClock(server.url, 30);
    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "c5.large" } }));
    const attribute = await ec2().send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: "instanceType" }));
    expect(attribute.InstanceType?.Value).toBe("c5.large");

    const start = await ec2()
      .send(new StartInstancesCommand({ InstanceIds: [id] }))
      .catch((e) => e);
    expect(start.name).toBe("InvalidParameterCombination");
    expect(start.message).toBe(
      `Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'c5.large' instance type. Ensure that your instance '${id}' is enabled for ENA.`,
    );
    expect(await stateOf(id)).toBe("stopped");

    await ec2().send(new ModifyInstanceAttributeCommand({ InstanceId: id, EnaSupport: { Value: true } }));
    await ec2().send(new StartInstancesCommand({ InstanceIds: [id] }));
    await advanceClock(server.url, 30);
    expect(await stateOf(id)).toBe("running");
  });

  it("refuses a type change to an architecture the image cannot run", async () => {
    const id = await launch(images.al2Ena, "m5.large");
    await advanceClock(server.url, 30);
    await ec2().send(new StopInstancesCommand({ InstanceIds: [id], Force: true }));
    await advanceClock(server.url, 30);
    const refused = await ec2()
      .send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: "m7g.large" } }))
      .catch((e) => e);
    expect(refused.name).toBe("InvalidParameterValue");
    expect(refused.message).toContain("The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI.");
  });
});

describe("console output and status checks", () => {
  async function consoleOf(id: string): Promise<string> {
    const { Output } = await ec2().send(new GetConsoleOutputCommand({ InstanceId: id }));
    return Buffer.from(Output ?? "", "base64").toString("utf8");
  }
  async function reachability(id: string): Promise<string | undefined> {
    const { InstanceStatuses } = await ec2().send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    return InstanceStatuses![0]?.InstanceStatus?.Status;
  }

  it("shows PV-GRUB reading menu.lst for a PV instance on Xen, and a healthy boot", async () => {
    const id = await launch(images.pvX86, "m3.medium");
    await advanceClock(server.url, 60);
    const log = await consoleOf(id);
    expect(log).toContain("PV-GRUB");
    expect(log).toContain("root (hd0)");
    expect(log).toContain("blkfront: xvda");
    expect(await reachability(id)).toBe("ok");
  });

  it("fails the boot of a guest whose initramfs lacks nvme on Nitro, and impairs its status", async () => {
    const id = await launch(images.debianNoNvme, "m5.large");
    await advanceClock(server.url, 8);
    expect(await reachability(id)).toBe("initializing");
    await advanceClock(server.url, 60);
    // Debian builds its initramfs with initramfs-tools, not dracut: the boot drops to its shell.
    const log = await consoleOf(id);
    expect(log).toContain("Gave up waiting for root device.");
    expect(log).toMatch(/ALERT! {2}UUID=[0-9a-f-]+ does not exist\. {2}Dropping to a shell!/);
    expect(log).not.toContain("dracut");
    expect(await reachability(id)).toBe("impaired");
  });

  it("boots the same guest on a Xen type", async () => {
    const id = await launch(images.debianNoNvme, "m4.large");
    await advanceClock(server.url, 60);
    expect(await consoleOf(id)).toContain("GRUB loading.");
    expect(await reachability(id)).toBe("ok");
  });
});
