// Three lessons about what runs under a guest: live migration's two strategies, a noisy neighbour and the Dedicated
// Host that removes it, and the kinds of hypervisor (type 1, type 2) beside containers.
import type { Client } from "../api/client.js";
import { metricSeries } from "../api/metrics.js";
import { items, strings, text, type XmlObject } from "../api/xml.js";
import { type Lesson, type LessonState, notYet, passed, type StepOutcome } from "./lesson.js";
import { launchStep, lessonZone as zone, startStep } from "./steps.js";

/** A finished migration's figures, kept for the comparison; or why it is not finished. */
function migrationDone(answer: XmlObject, state: LessonState, prefix: string): StepOutcome {
  const migration = items(answer.migrationSet)[0];
  const migrationState = text(migration?.state);
  if (migrationState === "in-progress") return notYet("Still copying: advance the clock and run this step again.");
  if (migrationState !== "completed") return notYet(`The migration ${migrationState || "was not found"}: ${text(migration?.failureReason)}`);
  const downtime = Number(text(migration!.downtimeMs));
  const total = Number(text(migration!.totalTimeMs));
  state.set(`${prefix}Downtime`, String(downtime));
  state.set(`${prefix}Total`, String(total));
  state.set(`${prefix}Faults`, text(migration!.pageFaults) || "0");
  return passed(
    `Completed in ${items(migration!.roundSet).length} rounds: total ${total.toFixed(0)} ms, downtime ${downtime.toFixed(1)} ms, ${text(migration!.pageFaults) || 0} page faults after the switch-over. The Workflows page charts its rounds.`,
  );
}

export const preCopyPostCopy: Lesson = {
  id: "pre-copy-post-copy",
  title: "Pre-copy vs post-copy",
  intro:
    "A live migration moves a running guest's memory to another server. Pre-copy sends it in rounds while the guest runs, resending what it dirtied, then pauses it for a last stop-and-copy. Post-copy pauses it briefly, switches over at once, and fetches each page from the source on first touch (a page fault).",
  images: { image: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64" },
  steps: [
    launchStep("Launch a guest", "An m5.large on Nitro.", { imageKey: "image", instanceType: "m5.large", saveAs: "instanceId" }),
    {
      title: "Make it write memory fast",
      explain: "SetInstanceWorkload: 20,000 dirty 4 KiB pages a second over a 2 GiB writable working set, so pre-copy has to chase it.",
      request: (state) => ({
        api: "extensions",
        action: "SetInstanceWorkload",
        params: { InstanceId: state.get("instanceId"), DirtyPagesPerSecond: 20000, WritableWorkingSetMiB: 2048 },
      }),
      check: () => passed("Its workload is set."),
    },
    startStep("Migrate it with pre-copy", "MigrateInstance to another server of its zone.", {
      request: (state) => ({ api: "extensions", action: "MigrateInstance", params: { InstanceId: state.get("instanceId"), Strategy: "pre-copy" } }),
      idMember: "migrationId",
      saveAs: "preCopyId",
      what: "Migration",
    }),
    {
      title: "Read the pre-copy migration",
      explain: "Its rounds, its downtime (the stop-and-copy) and its total time.",
      request: (state) => ({ api: "extensions", action: "DescribeInstanceMigrations", params: { MigrationId: [state.get("preCopyId")] } }),
      check: (answer, state) => migrationDone(answer, state, "pre"),
    },
    startStep("Migrate it again, with post-copy", "The same guest, the same workload, the other strategy.", {
      request: (state) => ({ api: "extensions", action: "MigrateInstance", params: { InstanceId: state.get("instanceId"), Strategy: "post-copy" } }),
      idMember: "migrationId",
      saveAs: "postCopyId",
      what: "Migration",
    }),
    {
      title: "Read the post-copy migration and compare",
      explain: "Post-copy's downtime is short and fixed; its cost moves to the page faults after the switch-over.",
      request: (state) => ({ api: "extensions", action: "DescribeInstanceMigrations", params: { MigrationId: [state.get("postCopyId")] } }),
      check: (answer, state) => {
        const outcome = migrationDone(answer, state, "post");
        if (!outcome.passed) return outcome;
        const [pre, post] = [Number(state.get("preDowntime")), Number(state.get("postDowntime"))];
        if (!(post < pre)) return notYet(`Post-copy's downtime (${post} ms) is not below pre-copy's (${pre} ms) here.`);
        return passed(
          `${outcome.message} Downtime: pre-copy ${pre.toFixed(1)} ms, post-copy ${post.toFixed(1)} ms; post-copy paid with ${state.get("postFaults")} page faults instead.`,
        );
      },
    },
  ],
  conclusion:
    "Pre-copy keeps the guest whole on the source until the end and pays in downtime when it dirties memory fast; post-copy bounds the downtime and pays in page faults (and loses the guest if the source fails mid-way).",
};

/** GetInstanceMetrics' mean of one metric over the last ten minutes of virtual time. */
async function metricsRequest(client: Client, state: LessonState, instanceKey: string) {
  const clock = await client.call("extensions", "AdvanceClock", { Seconds: 0 });
  const end = new Date(text(clock.now));
  return {
    api: "extensions" as const,
    action: "GetInstanceMetrics",
    params: {
      InstanceId: state.get(instanceKey),
      MetricName: ["DiskLatencyMs", "Dom0CpuPercent"],
      StartTime: new Date(end.getTime() - 600_000).toISOString(),
      EndTime: end.toISOString(),
      Period: 60,
    },
  };
}

function meanOf(answer: XmlObject, metric: string): number | undefined {
  const values = metricSeries(answer).find((series) => series.name === metric)?.values ?? [];
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : undefined;
}

export const noisyNeighbour: Lesson = {
  id: "noisy-neighbour",
  title: "A noisy neighbour, and how a Dedicated Host removes it",
  intro:
    "On Xen, every guest's disk I/O goes through dom0's split-driver back ends: a neighbour's heavy I/O loads dom0 and lengthens everyone's disk latency. On a Dedicated Host the server is yours alone. (The metrics come from GetInstanceMetrics.)",
  images: { image: "amzn2-ami-hvm-2.0.20190313-x86_64-gp2" },
  steps: [
    launchStep("Launch the victim", "An m4.large on Xen.", { imageKey: "image", instanceType: "m4.large", saveAs: "victimId" }),
    launchStep("Launch its neighbour", "Another m4.large: the fleet packs it on the fullest server that fits, next to the victim.", {
      imageKey: "image",
      instanceType: "m4.large",
      saveAs: "neighbourId",
    }),
    {
      title: "Make the neighbour noisy",
      explain:
        "20,000 disk IOPS, every one through dom0's block back end; and 2 Gbit/s of network, which does not load dom0: an m4 has enhanced networking (an SR-IOV device of its own).",
      request: (state) => ({
        api: "extensions",
        action: "SetInstanceWorkload",
        params: { InstanceId: state.get("neighbourId"), DiskIops: 20000, NetworkMbps: 2000 },
      }),
      check: () => passed("The neighbour is busy."),
    },
    {
      title: "Let ten minutes pass",
      explain: "The metrics are computed over virtual time.",
      request: () => ({ api: "extensions", action: "AdvanceClock", params: { Seconds: 600 } }),
      check: () => passed("Ten minutes later."),
    },
    {
      title: "Read the victim's disk latency",
      explain: "DiskLatencyMs and the dom0 load behind it.",
      request: (state, client) => metricsRequest(client, state, "victimId"),
      check: (answer, state) => {
        const latency = meanOf(answer, "DiskLatencyMs");
        if (latency === undefined) return notYet("No DiskLatencyMs samples yet: advance the clock and run this step again.");
        state.set("sharedLatency", String(latency));
        return passed(`Mean disk latency ${latency.toFixed(2)} ms, dom0 at ${(meanOf(answer, "Dom0CpuPercent") ?? 0).toFixed(0)}%.`);
      },
    },
    {
      title: "Allocate a Dedicated Host",
      explain: "AllocateHosts: a whole m4 server for this account.",
      request: () => ({ api: "ec2", action: "AllocateHosts", params: { InstanceType: "m4.large", AvailabilityZone: zone, Quantity: 1 } }),
      check: (answer, state) => {
        const hostId = strings(answer.hostIdSet)[0] ?? "";
        state.set("hostId", hostId);
        return hostId ? passed(`Host ${hostId} allocated.`) : notYet("No host in the answer.");
      },
    },
    launchStep("Launch the victim's twin on the host", "The same type on the Dedicated Host: no neighbour.", {
      imageKey: "image",
      instanceType: "m4.large",
      saveAs: "isolatedId",
      placement: (state) => ({ Tenancy: "host", HostId: state.get("hostId") }),
    }),
    {
      title: "Give it the same neighbours' absence, and let time pass",
      explain: "Ten more minutes of virtual time.",
      request: () => ({ api: "extensions", action: "AdvanceClock", params: { Seconds: 600 } }),
      check: () => passed("Ten minutes later."),
    },
    {
      title: "Compare its disk latency",
      explain: "Alone on its server, only its own load counts.",
      request: (state, client) => metricsRequest(client, state, "isolatedId"),
      check: (answer, state) => {
        const latency = meanOf(answer, "DiskLatencyMs");
        if (latency === undefined) return notYet("No DiskLatencyMs samples yet: advance the clock and run this step again.");
        const shared = Number(state.get("sharedLatency"));
        return latency < shared
          ? passed(
              `Mean disk latency ${latency.toFixed(2)} ms on the Dedicated Host (dom0 at ${(meanOf(answer, "Dom0CpuPercent") ?? 0).toFixed(0)}%), against ${shared.toFixed(2)} ms beside the noisy neighbour.`,
            )
          : notYet(`Latency ${latency.toFixed(2)} ms is not below ${shared.toFixed(2)} ms.`);
      },
    },
  ],
  conclusion: "A shared Xen server shares dom0: a neighbour's I/O becomes your latency. A Dedicated Host (or a .metal type) has no neighbour.",
};

export const hypervisorKinds: Lesson = {
  id: "hypervisor-kinds",
  title: "Type 1 and type 2 hypervisors, containers",
  intro:
    "A type 1 hypervisor runs on the hardware itself and guests run on it: Xen (with its privileged dom0) and Nitro's KVM-based hypervisor are both type 1. A type 2 hypervisor (VirtualBox, VMware Workstation, QEMU without KVM) is a program on a host operating system. Containers are not virtual machines at all: processes of one shared kernel, fenced by namespaces and cgroups. EC2 offers the first kind, and bare metal with none.",
  images: { image: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64" },
  steps: [
    {
      title: "Ask each type what runs under it",
      explain: "DescribeInstanceTypes' Hypervisor: xen, nitro, or none for a .metal type.",
      request: () => ({ api: "ec2", action: "DescribeInstanceTypes", params: { InstanceType: ["m4.large", "m5.large", "m5.metal"] } }),
      check: (answer) => {
        const found = Object.fromEntries(items(answer.instanceTypeSet).map((type) => [text(type.instanceType), text(type.hypervisor) || "none"]));
        const expected = { "m4.large": "xen", "m5.large": "nitro", "m5.metal": "none" };
        const agrees = Object.entries(expected).every(([type, hypervisor]) => found[type] === hypervisor);
        const said = Object.entries(found)
          .map(([type, hypervisor]) => `${type}: ${hypervisor}`)
          .join(", ");
        return agrees ? passed(`${said}. Xen and Nitro are type 1; m5.metal has no hypervisor.`) : notYet(`Unexpected: ${said}`);
      },
    },
    {
      title: "Look at the servers",
      explain:
        "DescribeFleet: each server's hypervisor. There is no type 2 hypervisor in a cloud's fleet: nothing sits between the hardware and the hypervisor.",
      request: () => ({ api: "extensions", action: "DescribeFleet", params: { AvailabilityZone: zone, MaxResults: 1000 } }),
      check: (answer) => {
        const counts = new Map<string, number>();
        for (const server of items(answer.serverSet)) {
          const hypervisor = text(server.hypervisor) || "none";
          counts.set(hypervisor, (counts.get(hypervisor) ?? 0) + 1);
        }
        return counts.size > 0
          ? passed(`Servers in ${zone} on this page: ${[...counts].map(([hypervisor, count]) => `${count} ${hypervisor}`).join(", ")}.`)
          : notYet("No server found.");
      },
    },
    launchStep("Launch on bare metal", "m5.metal: the guest is the only OS on the server; the Nitro card still does EBS and networking.", {
      imageKey: "image",
      instanceType: "m5.metal",
      saveAs: "metalId",
    }),
    {
      title: "See how it boots, and its I/O paths",
      explain: "No hypervisor is detected; the disk is still NVMe and the network ENA, both on the Nitro card.",
      request: (state) => ({ api: "extensions", action: "DescribeInstanceBoot", params: { InstanceId: state.get("metalId") } }),
      check: (answer) => {
        if (text(answer.booted) !== "true") return notYet("Not booted yet: advance the clock and run this step again.");
        const paths = items(answer.ioPathSet).map((path) => `${text(path.device)} ${text(path.path)} via ${text(path.through)}`);
        return text(answer.hypervisor) === "none"
          ? passed(`Hypervisor: none. ${paths.join("; ")}. A container on it would share this one kernel.`)
          : notYet(`Hypervisor ${text(answer.hypervisor)}: expected none.`);
      },
    },
  ],
  conclusion:
    "Type 1: Xen and Nitro, under every EC2 virtual machine. Type 2: a hypervisor as an application, for desktops. Bare metal: no hypervisor at all, the place to run your own. Containers: one kernel, many isolated process trees, inside any of these.",
};
