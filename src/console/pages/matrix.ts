// Page 1, the compatibility matrix: images as rows, instance types as columns, each cell ExplainLaunch's verdict
// (icon, word and colour). Arrow keys move between cells, Enter opens a cell's explanation beside the grid.
import type { Client } from "../api/client.js";
import { items, text } from "../api/xml.js";
import type { Page } from "../main.js";
import { errorBox, h, replaceChildren, select } from "../ui/dom.js";
import { showExplanation } from "./explain-panel.js";
import {
  anyValue,
  type ColumnFilters,
  filterColumns,
  filterRows,
  type ImageList,
  type ImageRow,
  loadFirstColumns,
  loadImages,
  loadTypes,
  maxRows,
  type RowFilters,
  type TypeColumn,
  VerdictCache,
  type VerdictKind,
  valuesOf,
  verdictLabels,
} from "./matrix-data.js";

interface MatrixState {
  rows: RowFilters;
  columns: ColumnFilters;
  zone: string;
}

const initialState = (): MatrixState => ({
  rows: { text: "", owner: anyValue, virtualization: anyValue, architecture: anyValue, bootMode: anyValue, ena: anyValue },
  columns: { family: anyValue, hypervisor: anyValue, generation: anyValue, gpu: anyValue, ena: anyValue, sizes: "smallest" },
  zone: "",
});

export const matrixPage: Page = {
  title: "Compatibility matrix",
  render(main, { client }) {
    let stopped = false;
    replaceChildren(main, h("h2", {}, "Compatibility matrix"), h("p", { class: "loading", role: "status" }, "Loading images and instance types…"));
    Promise.all([loadImages(client), loadFirstColumns(client), loadZones(client)])
      .then(([images, types, zones]) => {
        if (!stopped) new MatrixView(main, client, images, types, zones, () => stopped).render();
      })
      .catch((error: unknown) => replaceChildren(main, h("h2", {}, "Compatibility matrix"), errorBox(error)));
    return () => {
      stopped = true;
    };
  },
};

async function loadZones(client: Client): Promise<string[]> {
  const result = await client.call("ec2", "DescribeAvailabilityZones");
  return items(result.availabilityZoneInfo).map((zone) => text(zone.zoneName));
}

/** A filter's options: "any" first, then the values, each with its label if it has one. */
const any = (values: string[], labels: Record<string, string> = {}) => [[anyValue, "any"] as const, ...values.map((v) => [v, labels[v] ?? v] as const)];

class MatrixView {
  private readonly state = initialState();
  private readonly verdicts: VerdictCache;
  private readonly filters = h("div", { class: "filters" });
  private readonly grid = h("div", { class: "grid-wrap" });
  private readonly panel = h("aside", { class: "explanation", "aria-labelledby": "explanation-title", tabindex: -1 });
  private readonly status = h("p", { class: "matrix-status", role: "status" });
  private generation = 0;
  private images: ImageRow[];
  /** Until every image has arrived, the first rows only: the image filters wait for the rest. */
  private readingImages: boolean;
  /** Until every type has arrived, the first columns only: the type filters wait for the rest. */
  private readingTypes = true;
  private rowFilters: HTMLElement | undefined;
  private columnFilters: HTMLElement | undefined;
  /** What the grid shows (zone, rows and columns), so an unchanged grid is not built again. */
  private shown = "";

  constructor(
    private readonly main: HTMLElement,
    private readonly client: Client,
    private readonly imageList: ImageList,
    private types: TypeColumn[],
    private readonly zones: string[],
    private readonly stopped: () => boolean,
  ) {
    this.images = imageList.rows;
    this.readingImages = imageList.rest !== undefined;
    this.verdicts = new VerdictCache(client);
    replaceChildren(this.panel, h("p", { class: "hint" }, "Choose a cell (click, or arrow keys and Enter) to see why, rule by rule, and to launch there."));
  }

  render(): void {
    replaceChildren(
      this.main,
      h("h2", {}, "Compatibility matrix"),
      h("p", { class: "intro" }, "Which image launches and boots on which instance type, and why not: each cell is ExplainLaunch's verdict."),
      this.filters,
      legend(),
      this.status,
      h("div", { class: "matrix-layout" }, this.grid, this.panel),
    );
    this.renderFilters();
    // The rest of the images and types once the first matrix is up, not competing with its verdicts.
    const { rest } = this.imageList;
    void this.refresh().then(() =>
      Promise.all([
        rest &&
          this.complete(rest, (images) => {
            this.images = images;
            this.readingImages = false;
            this.rowFilters = replaced(this.rowFilters, this.rowFiltersFieldset());
            return this.refresh();
          }),
        this.complete(
          () => loadTypes(this.client),
          (types) => {
            this.types = types;
            this.readingTypes = false;
            this.columnFilters = replaced(this.columnFilters, this.columnFiltersFieldset());
          },
        ),
      ]),
    );
  }

  /** Reads what the first matrix went without and puts it in, unless the page has gone meanwhile (or the read failed). */
  private async complete<T>(read: () => Promise<T>, apply: (value: T) => void | Promise<void>): Promise<void> {
    if (this.stopped()) return;
    let value: T;
    try {
      value = await read();
    } catch (error) {
      replaceChildren(this.status, errorBox(error));
      return;
    }
    if (!this.stopped()) await apply(value);
  }

  private renderFilters(): void {
    this.rowFilters = this.rowFiltersFieldset();
    this.columnFilters = this.columnFiltersFieldset();
    replaceChildren(
      this.filters,
      this.rowFilters,
      this.columnFilters,
      h(
        "fieldset",
        {},
        h("legend", {}, "Placement"),
        select("Zone", [["", "any zone"], ...this.zones.map((zone) => [zone, zone] as const)], this.state.zone, (zone) => {
          this.state.zone = zone;
          void this.refresh();
        }),
      ),
    );
  }

  private columnFiltersFieldset(): HTMLElement {
    const { columns } = this.state;
    const onColumns = (key: keyof ColumnFilters) => (value: string) => {
      (columns as unknown as Record<string, string>)[key] = value;
      void this.refresh();
    };
    return h(
      "fieldset",
      { disabled: this.readingTypes, "aria-busy": this.readingTypes ? "true" : undefined },
      h("legend", {}, this.readingTypes ? "Instance types (columns), once all types are read" : "Instance types (columns)"),
      select("Family", any(valuesOf(this.types, (t) => t.family)), columns.family, onColumns("family")),
      select(
        "Hypervisor",
        any(
          valuesOf(this.types, (t) => t.hypervisor),
          { none: "none (bare metal)" },
        ),
        columns.hypervisor,
        onColumns("hypervisor"),
      ),
      select("Generation", any(["true", "false"], { true: "current", false: "previous" }), columns.generation, onColumns("generation")),
      select("GPU", any(["true", "false"], { true: "with GPUs", false: "without" }), columns.gpu, onColumns("gpu")),
      select("Type ENA", any(["required", "supported", "unsupported"]), columns.ena, onColumns("ena")),
      select(
        "Sizes",
        [
          ["smallest", "smallest of each family"],
          ["all", "every size"],
        ],
        columns.sizes,
        onColumns("sizes"),
      ),
    );
  }

  private rowFiltersFieldset(): HTMLElement {
    const { rows } = this.state;
    const onRows = (key: keyof RowFilters) => (value: string) => {
      rows[key] = value;
      void this.refresh();
    };
    return h(
      "fieldset",
      { disabled: this.readingImages, "aria-busy": this.readingImages ? "true" : undefined },
      h("legend", {}, this.readingImages ? "Images (rows), once all your images are read" : "Images (rows)"),
      h(
        "label",
        { class: "field" },
        h("span", {}, "Name or id contains"),
        h("input", {
          type: "search",
          value: rows.text,
          oninput: (event: Event) => {
            rows.text = (event.target as HTMLInputElement).value;
            void this.refresh();
          },
        }),
      ),
      select("Owner", any(["catalog", "mine"], { catalog: "the catalog", mine: "my account" }), rows.owner, onRows("owner")),
      select("Virtualization", any(valuesOf(this.images, (i) => i.virtualizationType)), rows.virtualization, onRows("virtualization")),
      select("Architecture", any(valuesOf(this.images, (i) => i.architecture)), rows.architecture, onRows("architecture")),
      select("Boot mode", any([...valuesOf(this.images, (i) => i.bootMode), "unset"], { unset: "not set" }), rows.bootMode, onRows("bootMode")),
      select("Image ENA", any(["true", "false"], { true: "enabled", false: "not enabled" }), rows.ena, onRows("ena")),
    );
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const matching = filterRows(this.images, this.state.rows);
    const rows = matching.slice(0, maxRows);
    const columns = filterColumns(this.types, this.state.columns);
    const cut = this.readingImages
      ? " (the first of your images: reading the rest)"
      : matching.length > rows.length
        ? ` (the first ${rows.length} of ${matching.length} matching images: narrow them with the filters)`
        : "";
    replaceChildren(this.status, `Judging ${rows.length} images × ${columns.length} instance types…`);
    // Ten rows at a time, each batch's verdicts asked for at once and its rows added as they come, a frame each:
    // judging and laying out 100 rows of 170 cells took about a second and a half before anything showed. The grid
    // is aria-busy until its last row is in.
    const zone = this.state.zone;
    const typeNames = columns.map((c) => c.instanceType);
    const batches: Array<{ rows: ImageRow[]; verdicts: Promise<void> }> = [];
    for (let start = 0; start < rows.length; start += rowsPerBatch) {
      const batch = rows.slice(start, start + rowsPerBatch);
      const verdicts = this.verdicts.load(
        zone,
        batch.map((r) => r.imageId),
        typeNames,
      );
      // Handled here too: a batch left unread (a newer refresh) must not report its failure as unhandled.
      verdicts.catch(() => undefined);
      batches.push({ rows: batch, verdicts });
    }
    const shown = [zone, ...rows.map((row) => row.imageId), "|", ...typeNames].join(" ");
    /** The status and the empty grid, once the first verdicts are in; nothing when the grid already shows these. */
    const begin = (): HTMLTableElement | undefined => {
      replaceChildren(this.status, `${rows.length} images × ${columns.length} instance types${zone ? ` in ${zone}` : ""}${cut}.`);
      if (shown === this.shown) return undefined;
      this.shown = "";
      const table = this.table(rows, columns);
      replaceChildren(this.grid, table);
      return table;
    };
    let table: HTMLTableElement | undefined;
    for (const [index, batch] of batches.entries()) {
      if (index > 0) await afterNextFrame();
      try {
        await batch.verdicts;
      } catch (error) {
        if (generation === this.generation) replaceChildren(this.status, errorBox(error));
        return;
      }
      // A newer filter change superseded this one while its verdicts loaded.
      if (generation !== this.generation) return;
      if (index === 0 && !(table = begin())) return;
      table!.tBodies[0]!.append(...batch.rows.map((row) => this.row(row, columns)));
      if (index === 0) table!.tBodies[0]!.querySelector<HTMLElement>("td")?.setAttribute("tabindex", "0");
    }
    if (batches.length === 0 && !(table = begin())) return;
    table!.removeAttribute("aria-busy");
    this.shown = shown;
  }

  /** The grid's headers and its (empty) body, with one listener each for the cells' clicks and keys. */
  private table(rows: ImageRow[], columns: TypeColumn[]): HTMLTableElement {
    const zone = this.state.zone;
    const rowOf = new Map(rows.map((row) => [row.imageId, row]));
    const open = (td: HTMLElement) => {
      for (const selected of this.grid.querySelectorAll("[aria-selected=true]")) selected.setAttribute("aria-selected", "false");
      td.setAttribute("aria-selected", "true");
      const { imageId = "", instanceType = "" } = td.dataset;
      void showExplanation(this.panel, this.client, imageId, rowOf.get(imageId)?.name ?? imageId, instanceType, zone);
    };
    const table = h(
      "table",
      { class: "matrix", role: "grid", "aria-label": "Launch verdicts: images by instance types", "aria-busy": "true" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col", class: "corner" }, "Image \\ type"),
          ...columns.map((c) =>
            h(
              "th",
              { scope: "col", title: `${c.instanceType}: ${c.hypervisor}, ${c.currentGeneration ? "current" : "previous"} generation` },
              h("span", {}, c.instanceType),
            ),
          ),
        ),
      ),
      h("tbody", {}),
    );
    const cellOf = (event: Event) => (event.target as Element).closest<HTMLElement>("td.cell");
    table.addEventListener("click", (event) => {
      const td = cellOf(event);
      if (td) open(td);
    });
    table.addEventListener("keydown", (event) => {
      const td = cellOf(event);
      if (td && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        open(td);
      } else moveFocus(event, table);
    });
    return table;
  }

  private row(row: ImageRow, columns: TypeColumn[]): HTMLElement {
    const zone = this.state.zone;
    return h(
      "tr",
      {},
      h(
        "th",
        {
          scope: "row",
          title: `${row.imageId}: ${row.virtualizationType}, ${row.architecture}, boot mode ${row.bootMode || "not set"}, ENA ${row.ena ? "on" : "off"}`,
        },
        h("span", { class: "image-name" }, row.name),
        h(
          "span",
          { class: "image-facts" },
          `${row.owner === "mine" ? "mine · " : ""}${row.virtualizationType} · ${row.architecture}${row.ena ? " · ENA" : ""}`,
        ),
      ),
      ...columns.map((column) => this.cell(row, column, zone)),
    );
  }

  private cell(row: ImageRow, column: TypeColumn, zone: string): HTMLElement {
    const verdict = this.verdicts.get(zone, row.imageId, column.instanceType);
    const kind = verdict?.kind ?? "refused";
    const label = verdictLabels[kind];
    const rules = [...(verdict?.failedRuleIds ?? []), ...(verdict?.warningRuleIds ?? [])];
    // A copy of the kind's cell, then what is this cell's own: 17,000 cells built attribute by attribute were a
    // third of the page's script time.
    const td = cellPrototype(kind).cloneNode(true) as HTMLElement;
    td.dataset.imageId = row.imageId;
    td.dataset.instanceType = column.instanceType;
    td.dataset.rules = rules.join(" ");
    td.setAttribute("aria-label", `${row.name} on ${column.instanceType}: ${label.word}${rules.length ? ` (${rules.join(", ")})` : ""}`);
    td.title = `${label.meaning}${rules.length ? `: ${rules.join(", ")}` : ""}`;
    return td;
  }
}

const rowsPerBatch = 10;

/** Puts the new element where the old one is, and answers it. */
function replaced(old: HTMLElement | undefined, element: HTMLElement): HTMLElement {
  old?.replaceWith(element);
  return element;
}

/** Resolves once the browser has drawn a frame: each batch of rows is shown before the next is built. */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}

const cellPrototypes = new Map<VerdictKind, HTMLElement>();

/** A grid cell of the verdict's kind: its icon and word, not yet focusable nor selected. */
function cellPrototype(kind: VerdictKind): HTMLElement {
  let cell = cellPrototypes.get(kind);
  if (!cell) {
    const label = verdictLabels[kind];
    cell = h(
      "td",
      { role: "gridcell", class: `cell ${kind}`, tabindex: -1, "aria-selected": "false", "data-verdict": kind },
      h("span", { class: "icon", "aria-hidden": "true" }, label.icon),
      h("span", { class: "word" }, label.word),
    );
    cellPrototypes.set(kind, cell);
  }
  return cell;
}

function legend(): HTMLElement {
  return h(
    "ul",
    { class: "legend", "aria-label": "Legend" },
    ...Object.entries(verdictLabels).map(([kind, label]) =>
      h("li", { class: `cell ${kind}` }, h("span", { class: "icon", "aria-hidden": "true" }, label.icon), ` ${label.word}: ${label.meaning}`),
    ),
  );
}

/** Arrow keys, Home and End move the one focusable cell (a roving tabindex), as in a spreadsheet. */
function moveFocus(event: KeyboardEvent, table: HTMLTableElement): void {
  const cell = (event.target as HTMLElement).closest("td");
  if (!cell) return;
  const row = cell.parentElement as HTMLTableRowElement;
  const rows = Array.from(table.tBodies[0]!.rows);
  let rowIndex = rows.indexOf(row);
  let columnIndex = cell.cellIndex;
  const last = row.cells.length - 1;
  switch (event.key) {
    case "ArrowRight":
      columnIndex = Math.min(last, columnIndex + 1);
      break;
    case "ArrowLeft":
      columnIndex = Math.max(1, columnIndex - 1);
      break;
    case "ArrowDown":
      rowIndex = Math.min(rows.length - 1, rowIndex + 1);
      break;
    case "ArrowUp":
      rowIndex = Math.max(0, rowIndex - 1);
      break;
    case "Home":
      columnIndex = 1;
      break;
    case "End":
      columnIndex = last;
      break;
    default:
      return;
  }
  event.preventDefault();
  const next = rows[rowIndex]?.cells[columnIndex];
  if (!next) return;
  cell.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
}
