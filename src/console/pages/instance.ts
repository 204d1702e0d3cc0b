// Page 3, one instance (#/instance?id=i-…): its state and timeline, the boot log with the lines that decided the boot
// marked, the guest's facts, the path each device's I/O takes, its network interfaces, its scheduled events and its
// metrics. Each section is its own API call and shows its own error. Without an id, the caller's instances to pick.
import type { Client } from "../api/client.js";
import type { Page } from "../main.js";
import { chart, figuresTable } from "../ui/chart.js";
import { errorBox, h, replaceChildren } from "../ui/dom.js";
import { statusBadge } from "../ui/status.js";
import {
  type BootView,
  chartedMetrics,
  describeBoot,
  describeInstance,
  describeLiveMigrations,
  describeStatus,
  guestFacts,
  type InstanceSummary,
  instanceMetrics,
  listInstances,
  type StatusView,
} from "./instance-data.js";

/** What each I/O path is called on the page, in words. */
const pathNames: Record<string, string> = {
  "pv-split-driver": "PV split driver (front end in the guest, back end in dom0)",
  emulated: "Emulated device (QEMU in dom0)",
  "pv-on-hvm": "PV-on-HVM driver (through dom0)",
  "sriov-vf": "SR-IOV virtual function (bypasses dom0)",
  ena: "ENA (Elastic Network Adapter)",
  nvme: "NVMe on a Nitro card",
};

export const instancePage: Page = {
  title: "Instance",
  render(main, { client, onClockAdvance }) {
    const instanceId = new URLSearchParams(location.hash.split("?")[1] ?? "").get("id") ?? "";
    if (!instanceId) {
      void renderList(main, client);
      return undefined;
    }
    let stopped = false;
    const show = async () => {
      const sections = await instanceSections(client, instanceId);
      if (!stopped) replaceChildren(main, h("h2", {}, `Instance ${instanceId}`), ...sections);
    };
    replaceChildren(main, h("h2", {}, `Instance ${instanceId}`), h("p", { role: "status" }, "Loading…"));
    onClockAdvance(() => void show());
    void show();
    return () => {
      stopped = true;
    };
  },
};

async function renderList(main: HTMLElement, client: Client): Promise<void> {
  replaceChildren(main, h("h2", {}, "Instances"), h("p", { role: "status" }, "Loading…"));
  try {
    const instances = await listInstances(client);
    replaceChildren(
      main,
      h("h2", {}, "Instances"),
      instances.length === 0
        ? h("p", {}, "No instance yet: launch one from the matrix.")
        : h(
            "ul",
            {},
            ...instances.map((i) =>
              h("li", {}, h("a", { href: `#/instance?id=${i.instanceId}` }, h("code", {}, i.instanceId)), ` ${i.instanceType} `, statusBadge(i.state)),
            ),
          ),
    );
  } catch (error) {
    replaceChildren(main, h("h2", {}, "Instances"), errorBox(error));
  }
}

/** Every section, each loaded on its own: a failed call shows its error in its place. */
async function instanceSections(client: Client, instanceId: string): Promise<HTMLElement[]> {
  const guarded = async (title: string, build: () => Promise<Array<Node | string>>): Promise<HTMLElement> => {
    const id = `section-${title.toLowerCase().replace(/\W+/g, "-")}`;
    try {
      return h("section", { class: "panel", id, "aria-labelledby": `${id}-title` }, h("h3", { id: `${id}-title` }, title), ...(await build()));
    } catch (error) {
      return h("section", { class: "panel", id, "aria-labelledby": `${id}-title` }, h("h3", { id: `${id}-title` }, title), errorBox(error));
    }
  };
  const summary = describeInstance(client, instanceId);
  const status = describeStatus(client, instanceId);
  const boot = describeBoot(client, instanceId);
  return Promise.all([
    guarded("State and timeline", async () => timeline(await summary, await status.catch(() => undefined), client)),
    guarded("Boot log", async () => bootLog(await boot)),
    guarded("I/O paths", async () => ioPaths(await boot)),
    guarded("Guest", async () => guest(await guestFacts(client, { InstanceId: instanceId }))),
    guarded("Network interfaces", async () => interfaces(await summary)),
    guarded("Status checks and scheduled events", async () => events(await status)),
    guarded("Metrics", async () => metrics(client, instanceId)),
  ]);
}

async function timeline(summary: InstanceSummary, status: StatusView | undefined, client: Client): Promise<Node[]> {
  const migrations = await describeLiveMigrations(client, summary.instanceId).catch(() => []);
  const entries: Array<[time: string, what: Node | string]> = [
    [summary.launchTime, `Launched ${summary.instanceType} from ${summary.imageId} in ${summary.zone}`],
    ...migrations.flatMap(
      (m): Array<[string, string]> => [
        [m.startTime, `Live migration ${m.migrationId} (${m.strategy}) from ${m.sourceServerId} to ${m.targetServerId} started`],
        ...(m.switchoverTime ? [[m.switchoverTime, `Switched over to ${m.targetServerId} after ${m.downtimeMs} ms of downtime`] as [string, string]] : []),
      ],
    ),
    ...(status?.events ?? []).map((event): [string, string] => [event.notBefore, `Scheduled ${event.code}: ${event.description}`]),
  ];
  entries.sort(([a], [b]) => a.localeCompare(b));
  return [
    h(
      "p",
      {},
      "Now ",
      statusBadge(summary.state),
      summary.stateTransitionReason ? ` — ${summary.stateTransitionReason}` : "",
      summary.stateReason ? ` (${summary.stateReason})` : "",
    ),
    h("ol", { class: "timeline" }, ...entries.map(([time, what]) => h("li", {}, h("time", { datetime: time }, time.replace("T", " ").slice(0, 19)), what))),
  ];
}

function bootLog(boot: BootView): Node[] {
  if (boot.lines.length === 0) return [h("p", {}, "No console output yet: the instance has not run on a server.")];
  const verdict =
    boot.booted === false
      ? h("p", {}, statusBadge("failed"), ` The guest did not come up: ${boot.failure}.`)
      : h("p", {}, statusBadge("booted", "ok"), " The guest came up.");
  return [
    verdict,
    h(
      "p",
      { class: "intro" },
      `${boot.hypervisor === "none" ? "Bare metal" : boot.hypervisor}, ${boot.virtualizationType}, ${boot.bootMode}. The lines marked ▶ decided the boot.`,
    ),
    h(
      "pre",
      { class: "boot-log", tabindex: 0, "aria-label": "Boot log" },
      ...boot.lines.map((line) =>
        h(
          "span",
          { class: `line${line.deciding ? " deciding" : ""}`, ...(line.deciding ? { "data-deciding": "true" } : {}) },
          h("span", { class: "marker" }, line.deciding ? "▶ " : "  "),
          line.text,
          line.deciding ? h("span", { class: "visually-hidden" }, " (deciding line)") : undefined,
          "\n",
        ),
      ),
    ),
  ];
}

function ioPaths(boot: BootView): Node[] {
  return [
    h(
      "table",
      { class: "data io-paths" },
      h("thead", {}, h("tr", {}, ...["Device", "Path", "Driver in the guest", "Other end", "How"].map((title) => h("th", { scope: "col" }, title)))),
      h(
        "tbody",
        {},
        ...boot.ioPaths.map((path) =>
          h(
            "tr",
            { "data-device": path.device, "data-path": path.path },
            h("td", {}, h("code", {}, path.device), ` (${path.deviceType})`),
            h("td", {}, pathNames[path.path] ?? path.path),
            h("td", {}, h("code", {}, path.driver), " ", path.driverPresent ? statusBadge("present", "ok") : statusBadge("missing", "bad")),
            h("td", {}, path.through),
            h("td", {}, path.description),
          ),
        ),
      ),
    ),
  ];
}

function guest({ resourceId, facts }: { resourceId: string; facts: Array<[string, string]> }): Node[] {
  if (facts.length === 0) return [h("p", {}, `The root volume ${resourceId} holds no modelled guest.`)];
  return [
    h("p", {}, "The guest on the root volume ", h("code", {}, resourceId), ", as it is now (DescribeGuest):"),
    h("dl", { class: "facts" }, ...facts.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)])),
  ];
}

function interfaces(summary: InstanceSummary): Node[] {
  if (summary.interfaces.length === 0) return [h("p", {}, "No network interface.")];
  return [
    h(
      "table",
      { class: "data" },
      h(
        "thead",
        {},
        h("tr", {}, ...["Device index", "Interface", "Subnet", "Private IP", "Public IP", "MAC", "Status"].map((t) => h("th", { scope: "col" }, t))),
      ),
      h(
        "tbody",
        {},
        ...summary.interfaces.map((eni) =>
          h(
            "tr",
            {},
            h("td", {}, eni.deviceIndex),
            h("td", {}, h("code", {}, eni.id)),
            h("td", {}, eni.subnetId),
            h("td", {}, eni.privateIp),
            h("td", {}, eni.publicIp || "none"),
            h("td", {}, eni.mac),
            h("td", {}, statusBadge(eni.status)),
          ),
        ),
      ),
    ),
  ];
}

function events(status: StatusView | undefined): Node[] {
  if (!status) return [h("p", {}, "No status: the instance is not running.")];
  return [
    h("p", {}, "System status ", statusBadge(status.systemStatus), " · instance status ", statusBadge(status.instanceStatus)),
    status.events.length === 0
      ? h("p", {}, "No scheduled event.")
      : h("ul", {}, ...status.events.map((event) => h("li", {}, h("strong", {}, event.code), ` ${event.description}, not before ${event.notBefore}`))),
  ];
}

/**
 * One chart per metric, each with its figures in a table (folded: an hour is 60 rows), exactly as GetInstanceMetrics
 * answered them; the window is written on the page, so the same call can be made again.
 */
async function metrics(client: Client, instanceId: string): Promise<Node[]> {
  const clock = await client.call("extensions", "AdvanceClock", { Seconds: 0 });
  const view = await instanceMetrics(client, instanceId, new Date(String(clock.now)));
  const window = h(
    "p",
    { class: "metrics-window", "data-start-time": view.startTime, "data-end-time": view.endTime, "data-period": String(view.period) },
    `The hour of virtual time from ${view.startTime} to ${view.endTime}, one average a minute (GetInstanceMetrics).`,
  );
  const shown = view.series.filter((s) => s.values.length > 0);
  if (shown.length === 0) return [window, h("p", {}, `No samples for ${chartedMetrics.join(", ")} in the last hour.`)];
  const charts = await Promise.all(
    shown.map(async (s) =>
      h(
        "div",
        { class: "metric", "data-metric": s.name },
        await chart({
          title: s.name,
          x: s.timestamps,
          series: [{ label: s.name, values: s.values, style: "line" }],
          time: true,
          xLabel: "time",
          yLabel: s.name,
        }),
        h(
          "details",
          {},
          h("summary", {}, `${s.name}: each minute's value`),
          figuresTable(
            `${s.name} per minute`,
            ["Minute from", "Value"],
            s.timestamps.map((stamp, index) => [new Date(stamp * 1000).toISOString(), String(s.values[index])]),
          ),
        ),
      ),
    ),
  );
  return [window, ...charts];
}
