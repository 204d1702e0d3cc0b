// Page 4, workflows: PV to HVM conversions and Xen to Nitro migrations step by step with what each step made (links
// to the instance page, or the guest on an image, snapshot or volume), and live migrations with a chart of their
// rounds. It polls like the fleet, and redraws only what changed, so a chart or the focus is not lost every poll.
import type { Client } from "../api/client.js";
import type { Page } from "../main.js";
import { chart, figuresTable } from "../ui/chart.js";
import { errorBox, h, replaceChildren } from "../ui/dom.js";
import { statusBadge } from "../ui/status.js";
import { describeLiveMigrations, guestFacts, type LiveMigration } from "./instance-data.js";
import { describeWorkflows, pvImages, type Workflow } from "./workflows-data.js";

const pollMs = 2000;

export const workflowsPage: Page = {
  title: "Workflows",
  render(main, { client, onClockAdvance }) {
    const guestOf = new URLSearchParams(location.hash.split("?")[1] ?? "").get("guest") ?? "";
    const workflows = h("div", { class: "workflows" });
    const live = h("div", { class: "live-migrations" });
    const status = h("p", { role: "status" }, "Loading…");
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let shownWorkflows = "";
    let shownMigrations = "";
    const poll = async () => {
      clearTimeout(timer);
      try {
        const [found, migrations] = await Promise.all([describeWorkflows(client), describeLiveMigrations(client)]);
        if (stopped) return;
        const workflowsKey = JSON.stringify(found);
        if (workflowsKey !== shownWorkflows) {
          shownWorkflows = workflowsKey;
          replaceChildren(workflows, ...(found.length ? found.map(workflowSection) : [h("p", {}, "No conversion or Xen to Nitro migration yet.")]));
        }
        const migrationsKey = JSON.stringify(migrations);
        if (migrationsKey !== shownMigrations) {
          shownMigrations = migrationsKey;
          replaceChildren(
            live,
            ...(migrations.length
              ? await Promise.all(migrations.map(liveMigrationSection))
              : [h("p", {}, "No live migration yet: MigrateInstance, or StartServerMaintenance on a server, starts one.")]),
          );
        }
        replaceChildren(status, `${found.length} workflows, ${migrations.length} live migrations. Updated ${new Date().toLocaleTimeString()}.`);
      } catch (error) {
        if (!stopped) replaceChildren(status, errorBox(error));
      }
      if (!stopped) timer = setTimeout(() => void poll(), pollMs);
    };
    replaceChildren(
      main,
      h("h2", {}, "Workflows"),
      guestOf ? artifactGuest(client, guestOf) : undefined,
      conversionForm(client, () => void poll()),
      status,
      h("h3", {}, "Conversions and Xen to Nitro migrations"),
      workflows,
      h("h3", {}, "Live migrations"),
      live,
    );
    onClockAdvance(() => void poll());
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};

/** A form that starts StartImageConversion from one of the PV images the caller can use. */
function conversionForm(client: Client, onStarted: () => void): HTMLElement {
  const imageSelect = h("select", { id: "conversion-source" }, h("option", { value: "" }, "Loading PV images…"));
  const name = h("input", { id: "conversion-name", type: "text", required: true, value: `converted-${Date.now().toString(36)}` });
  const ena = h("input", { id: "conversion-ena", type: "checkbox", checked: true });
  const result = h("div", { role: "status" });
  void pvImages(client).then(
    (images) => replaceChildren(imageSelect, ...images.map((image) => h("option", { value: image.imageId }, `${image.name} (${image.imageId})`))),
    (error) => replaceChildren(result, errorBox(error)),
  );
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const answer = await client.call("extensions", "StartImageConversion", {
        SourceImageId: imageSelect.value,
        Name: name.value,
        EnaSupport: ena.checked,
      });
      replaceChildren(result, "Started ", h("code", { class: "started-task" }, String(answer.conversionTaskId)), ": its steps appear below.");
      name.value = `converted-${Date.now().toString(36)}`;
      onStarted();
    } catch (error) {
      replaceChildren(result, errorBox(error));
    }
  };
  return h(
    "form",
    { class: "panel conversion-form", onsubmit: (event: Event) => void submit(event) },
    h("h3", {}, "Convert a PV image to HVM"),
    h("label", { class: "field", for: "conversion-source" }, h("span", {}, "PV image"), imageSelect),
    h("label", { class: "field", for: "conversion-name" }, h("span", {}, "New image name"), name),
    h("label", { class: "toggle", for: "conversion-ena" }, ena, " With ENA (so it runs on Nitro types such as m5.large)"),
    h("button", { type: "submit" }, "Start the conversion"),
    result,
  );
}

/** An id as a link: an instance to its page, a disk (image, snapshot, volume) to the guest it holds. */
function resourceLink(id: string): Node {
  if (id.startsWith("i-")) return h("a", { class: "artifact", href: `#/instance?id=${id}` }, h("code", {}, id));
  if (/^(ami|snap|vol)-/.test(id)) return h("a", { class: "artifact", href: `#/workflows?guest=${id}`, title: "Show the guest on it" }, h("code", {}, id));
  return h("code", { class: "artifact" }, id);
}

function workflowSection(workflow: Workflow): HTMLElement {
  return h(
    "section",
    { class: `panel workflow ${workflow.kind}`, "data-task-id": workflow.id, "data-state": workflow.state },
    h("h4", {}, `${workflow.title} `, statusBadge(workflow.state)),
    h("p", {}, h("code", {}, workflow.id), workflow.statusMessage ? ` · ${workflow.statusMessage}` : ""),
    workflow.failureReason ? h("p", { class: "error" }, `Failed: ${workflow.failureReason}`) : undefined,
    h("p", {}, ...workflow.results.filter(([, id]) => id).flatMap(([label, id]) => [`${label}: `, resourceLink(id), " "])),
    h(
      "ol",
      { class: "steps", "aria-label": `Steps of ${workflow.id}` },
      ...workflow.steps.map((step) =>
        h(
          "li",
          { class: "step", "data-step": step.name, "data-state": step.state },
          statusBadge(step.state),
          " ",
          h("strong", {}, step.name),
          ` — ${step.description}`,
          Number(step.attempts) > 1 ? ` (attempt ${step.attempts})` : "",
          step.artifacts.length ? h("div", {}, "Made: ", ...step.artifacts.map(resourceLink)) : undefined,
          step.error ? h("div", { class: "error" }, step.error) : undefined,
          step.compensation ? h("div", {}, `Undone: ${step.compensation}`) : undefined,
        ),
      ),
    ),
  );
}

async function liveMigrationSection(migration: LiveMigration): Promise<HTMLElement> {
  const rounds = migration.rounds;
  const stopAndCopy = rounds.find((round) => round.guestPaused);
  const summary = h(
    "p",
    {},
    `${migration.strategy}, initiated by ${migration.initiatedBy}: `,
    h("code", {}, migration.sourceServerId),
    " → ",
    h("code", {}, migration.targetServerId),
    `. Total ${migration.totalTimeMs.toFixed(0)} ms, downtime ${migration.downtimeMs.toFixed(1)} ms`,
    migration.strategy === "post-copy" ? `, ${migration.pageFaults} page faults after the switch-over` : "",
    stopAndCopy ? `; stop-and-copy is round ${stopAndCopy.round} (guest paused)` : "",
    migration.endedBy ? `; ended by ${migration.endedBy}` : "",
    ".",
  );
  const drawn =
    rounds.length > 0
      ? await chart({
          title: `Pages sent and dirtied per round (${migration.migrationId})`,
          x: rounds.map((round) => round.round),
          series: [
            { label: "pages sent", values: rounds.map((round) => round.pagesSent), style: "bars" },
            { label: "pages dirtied meanwhile", values: rounds.map((round) => round.pagesDirtied), style: "bars" },
          ],
          xLabel: "round",
          yLabel: "4 KiB pages",
        }).catch((error: unknown) => errorBox(error))
      : undefined;
  return h(
    "section",
    { class: "panel live-migration", "data-migration-id": migration.migrationId, "data-state": migration.state },
    h("h4", {}, "Live migration of ", resourceLink(migration.instanceId), ` (${migration.migrationId}) `, statusBadge(migration.state)),
    summary,
    migration.failureReason ? h("p", { class: "error" }, migration.failureReason) : undefined,
    drawn,
    rounds.length
      ? figuresTable(
          "Each round's figures",
          ["Round", "Pages sent", "Pages dirtied", "Duration (ms)", "Guest"],
          rounds.map((round) => [
            round.round,
            round.pagesSent,
            round.pagesDirtied,
            round.durationMs.toFixed(1),
            round.guestPaused ? "paused (stop-and-copy)" : "running",
          ]),
        )
      : undefined,
  );
}

/** The guest on an artifact (image, snapshot or volume): what a step changed, as DescribeGuest shows it. */
function artifactGuest(client: Client, id: string): HTMLElement {
  const panel = h("section", { class: "panel artifact-guest" }, h("h3", {}, "The guest on ", h("code", {}, id)), h("p", {}, "Loading…"));
  const param = id.startsWith("ami-") ? { ImageId: id } : id.startsWith("snap-") ? { SnapshotId: id } : { VolumeId: id };
  void guestFacts(client, param).then(
    ({ facts }) =>
      replaceChildren(
        panel,
        h("h3", {}, "The guest on ", h("code", {}, id)),
        facts.length
          ? h("dl", { class: "facts" }, ...facts.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]))
          : h("p", {}, "No modelled guest on it (a blank disk)."),
        h("a", { href: "#/workflows" }, "Close"),
      ),
    (error) => replaceChildren(panel, h("h3", {}, "The guest on ", h("code", {}, id)), errorBox(error), h("a", { href: "#/workflows" }, "Close")),
  );
  return panel;
}
