// Page 2, the fleet: each zone's servers grouped by hypervisor and host class, with their vCPU and memory in use
// and the guests packed on them (the caller's by id, other accounts' as anonymous occupied capacity, as
// DescribeFleet shows them). It polls, so a launch, a stop or a clock advance shows up without a reload.
import type { Client } from "../api/client.js";
import { items, text, type XmlObject } from "../api/xml.js";
import type { Page } from "../main.js";
import { errorBox, h, replaceChildren, select } from "../ui/dom.js";
import { statusBadge } from "../ui/status.js";

/** How often the page asks again: the virtual clock moves states along between two looks. */
const pollMs = 2000;

interface Guest {
  instanceId: string;
  instanceType: string;
  mine: boolean;
}

interface Server {
  serverId: string;
  zone: string;
  hostClass: string;
  hypervisor: string;
  architecture: string;
  totalVCpus: number;
  usedVCpus: number;
  memoryMiB: number;
  usedMemoryMiB: number;
  dedicatedHost: boolean;
  dedicatedHostId: string;
  /** available, under-maintenance (drained: no new guests) or failed. */
  state: string;
  guests: Guest[];
}

const hypervisorNames: Record<string, string> = { xen: "Xen", nitro: "Nitro", none: "Bare metal (no hypervisor)" };

export const fleetPage: Page = {
  title: "Fleet",
  render(main, { client, onClockAdvance }) {
    const highlighted = new URLSearchParams(location.hash.split("?")[1] ?? "").get("instance") ?? "";
    let zone = "";
    let onlyOccupied = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const content = h("div", { class: "fleet" });
    const status = h("p", { class: "fleet-status", role: "status" }, "Loading the fleet…");
    const controls = h("div", { class: "filters" });
    const renderControls = (zones: string[]) =>
      replaceChildren(
        controls,
        select("Zone", [["", "every zone"], ...zones.map((z) => [z, z] as const)], zone, (value) => {
          zone = value;
          void poll();
        }),
        h(
          "label",
          { class: "toggle" },
          h("input", {
            type: "checkbox",
            checked: onlyOccupied,
            onchange: (event: Event) => {
              onlyOccupied = (event.target as HTMLInputElement).checked;
              void poll();
            },
          }),
          " Only servers with guests",
        ),
      );
    let generation = 0;
    const poll = async () => {
      clearTimeout(timer);
      const current = ++generation;
      try {
        const [servers, states] = await Promise.all([loadFleet(client, zone), instanceStates(client)]);
        // Stopped, or a newer look (a zone chosen meanwhile) answers instead.
        if (stopped || current !== generation) return;
        if (!controls.hasChildNodes()) renderControls([...new Set(servers.map((s) => s.zone))].sort());
        // A server under maintenance or failed stays in view once it is empty: that is what happened to it.
        const shown = onlyOccupied ? servers.filter((s) => s.guests.length > 0 || s.dedicatedHost || s.state !== "available") : servers;
        replaceChildren(content, ...zoneSections(shown, states, highlighted));
        const mine = servers.reduce((sum, s) => sum + s.guests.filter((g) => g.mine).length, 0);
        replaceChildren(
          status,
          `${shown.length} of ${servers.length} servers shown; ${mine} of your instances on them. Updated ${new Date().toLocaleTimeString()}.`,
        );
      } catch (error) {
        if (stopped || current !== generation) return;
        replaceChildren(status, errorBox(error));
      }
      if (!stopped) timer = setTimeout(() => void poll(), pollMs);
    };
    replaceChildren(
      main,
      h("h2", {}, "Fleet"),
      h(
        "p",
        { class: "intro" },
        "The simulated servers your instances run on. Your guests show their ids; other accounts' guests show only the capacity they take.",
      ),
      controls,
      status,
      content,
    );
    onClockAdvance(() => void poll());
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};

async function loadFleet(client: Client, zone: string): Promise<Server[]> {
  const servers = await client.all("extensions", "DescribeFleet", "serverSet", { MaxResults: 1000, AvailabilityZone: zone || undefined });
  return servers.map((s) => ({
    serverId: text(s.serverId),
    zone: text(s.availabilityZone),
    hostClass: text(s.hostClass),
    hypervisor: text(s.hypervisor) || "none",
    architecture: text(s.architecture),
    totalVCpus: Number(text(s.totalVCpus)),
    usedVCpus: Number(text(s.usedVCpus)),
    memoryMiB: Number(text(s.memoryMiB)),
    usedMemoryMiB: Number(text(s.usedMemoryMiB)),
    dedicatedHost: text(s.dedicatedHost) === "true",
    dedicatedHostId: text(s.dedicatedHostId),
    state: text(s.state) || "available",
    guests: items(s.instanceSet).map((i) => ({ instanceId: text(i.instanceId), instanceType: text(i.instanceType), mine: text(i.ownedByCaller) === "true" })),
  }));
}

/** The caller's instances' states, by id (DescribeFleet lists where guests are, not their state). */
async function instanceStates(client: Client): Promise<Map<string, string>> {
  const reservations = await client.all("ec2", "DescribeInstances", "reservationSet", { MaxResults: 1000 });
  const states = new Map<string, string>();
  for (const reservation of reservations) {
    for (const instance of items(reservation.instancesSet))
      states.set(text(instance.instanceId), text((instance.instanceState as XmlObject | undefined)?.name));
  }
  return states;
}

function groupBy<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of list) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function zoneSections(servers: Server[], states: Map<string, string>, highlighted: string): HTMLElement[] {
  if (servers.length === 0) return [h("p", {}, "No server to show: launch an instance from the matrix, or show the empty servers too.")];
  return [...groupBy(servers, (s) => s.zone)].map(([zone, inZone]) =>
    h(
      "section",
      { class: "zone", "aria-labelledby": `zone-${zone}` },
      h("h3", { id: `zone-${zone}` }, zone),
      ...[...groupBy(inZone, (s) => s.hypervisor)].map(([hypervisor, ofHypervisor]) =>
        h(
          "section",
          { class: `hypervisor ${hypervisor}` },
          h("h4", {}, hypervisorNames[hypervisor] ?? hypervisor),
          ...[...groupBy(ofHypervisor, (s) => s.hostClass)].map(([hostClass, ofClass]) =>
            h(
              "div",
              { class: "host-class" },
              h("h5", {}, `${hostClass} · ${ofClass[0]!.architecture} · ${ofClass[0]!.totalVCpus} vCPUs, ${gib(ofClass[0]!.memoryMiB)}`),
              h("ul", { class: "servers" }, ...ofClass.map((server) => serverCard(server, states, highlighted))),
            ),
          ),
        ),
      ),
    ),
  );
}

function serverCard(server: Server, states: Map<string, string>, highlighted: string): HTMLElement {
  return h(
    "li",
    { class: `server${server.dedicatedHost ? " dedicated" : ""} ${server.state}`, "data-server-id": server.serverId, "data-state": server.state },
    h(
      "p",
      { class: "server-name" },
      h("code", {}, server.serverId),
      server.dedicatedHost ? h("span", { class: "tag" }, ` Dedicated Host${server.dedicatedHostId ? ` ${server.dedicatedHostId}` : ""}`) : undefined,
      server.state !== "available" ? " " : undefined,
      server.state !== "available" ? statusBadge(server.state.replace("-", " "), server.state === "failed" ? "bad" : "busy") : undefined,
    ),
    bar("vCPUs", server.usedVCpus, server.totalVCpus, String(server.totalVCpus)),
    bar("Memory", server.usedMemoryMiB, server.memoryMiB, gib(server.memoryMiB)),
    h(
      "ul",
      { class: "guests", "aria-label": `Guests on ${server.serverId}` },
      ...server.guests.map((guest) =>
        guest.mine
          ? h(
              "li",
              {
                class: `guest mine${guest.instanceId === highlighted ? " highlighted" : ""}`,
                "data-instance-id": guest.instanceId,
                title: `Your instance ${guest.instanceId} (${guest.instanceType}), ${states.get(guest.instanceId) ?? "state unknown"}`,
              },
              // A guest opens its instance page.
              h("a", { href: `#/instance?id=${guest.instanceId}` }, h("code", {}, guest.instanceId)),
              ` ${guest.instanceType} · ${states.get(guest.instanceId) ?? "?"}`,
            )
          : h("li", { class: "guest other", title: "Another account's instance: only the capacity it takes is shown" }, `occupied · ${guest.instanceType}`),
      ),
    ),
  );
}

/** A capacity bar: the share in use as a filled bar, and the same figures in words. */
function bar(label: string, used: number, total: number, totalText: string): HTMLElement {
  const percent = total > 0 ? Math.round((used / total) * 100) : 0;
  return h(
    "div",
    { class: "capacity" },
    h("span", { class: "capacity-label" }, `${label}: ${label === "Memory" ? gib(used) : used} of ${totalText} used (${percent}%)`),
    h(
      "span",
      { class: "capacity-bar", role: "meter", "aria-valuemin": 0, "aria-valuemax": total, "aria-valuenow": used, "aria-label": `${label} in use` },
      h("span", { class: `capacity-fill${percent >= 90 ? " full" : ""}`, style: `width: ${percent}%` }),
    ),
  );
}

function gib(mib: number): string {
  return `${Math.round((mib / 1024) * 10) / 10} GiB`;
}
