// Charts, drawn by uPlot (a small, well-kept charting library). It is imported here only, dynamically, so Vite puts
// it in a chunk of its own that only the pages with charts load: the first page (the matrix) stays small. Every chart
// also gets a table of its figures (see `figuresTable`), so what it shows is readable without seeing colours.
import { h } from "./dom.js";

export interface ChartSeries {
  label: string;
  values: ReadonlyArray<number | null>;
  /** Bars (per round) or a line (over time). */
  style: "bars" | "line";
}

export interface ChartSpec {
  title: string;
  /** The x values: round numbers, or times in seconds since the epoch when `time` is set. */
  x: readonly number[];
  series: readonly ChartSeries[];
  time?: boolean;
  xLabel: string;
  yLabel: string;
}

const colours = ["#0969da", "#bc4c00", "#1a7f37", "#8250df"];

/** A chart in a figure element; the chart library arrives with the first chart shown. */
export async function chart(spec: ChartSpec): Promise<HTMLElement> {
  const [{ default: uPlot }] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
  const figure = h("figure", { class: "chart", "aria-label": spec.title });
  const bars = uPlot.paths.bars?.({ size: [0.6 / Math.max(1, spec.series.length), 40] });
  new uPlot(
    {
      title: spec.title,
      width: 640,
      height: 240,
      scales: { x: { time: spec.time ?? false } },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 70 }],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((series, index) => ({
          label: series.label,
          stroke: colours[index % colours.length],
          width: 2,
          ...(series.style === "bars" ? { paths: bars, fill: `${colours[index % colours.length]}66`, points: { show: false } } : {}),
        })),
      ],
    },
    [spec.x as number[], ...spec.series.map((series) => series.values as Array<number | null>)],
    figure,
  );
  return figure;
}

/** The chart's figures as a table: the same data in words and numbers. */
export function figuresTable(caption: string, headings: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): HTMLElement {
  return h(
    "table",
    { class: "figures" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...headings.map((heading) => h("th", { scope: "col" }, heading)))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, ...row.map((cell) => h("td", {}, String(cell)))))),
  );
}
