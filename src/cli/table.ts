// --output table, ported from awscli's formatter.py (TableFormatter: how a response becomes sections) and
// table.py (MultiTable: column widths scaled to the widest section, vertical layout when too wide for the
// terminal). Without colour: the AWS CLI colours only a terminal, and tests compare plain text.
import { pythonString, WholeFloat } from "./output.js";

interface Section {
  title: string;
  headers: string[];
  rows: string[][];
  indentLevel: number;
  maxWidths: number[];
}

type Json = unknown;
const isScalar = (value: Json) => value === null || typeof value !== "object" || value instanceof WholeFloat;

export function formatTable(title: string, data: Json, terminalWidth = process.stdout.columns || 80): string {
  const builder = new TableBuilder();
  if (!builder.build(title, data, 0)) return "";
  return render(builder.sections, terminalWidth);
}

class TableBuilder {
  readonly sections: Section[] = [];
  private current!: Section;

  build(title: string | undefined, value: Json, indentLevel: number): boolean {
    if (!value || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && Object.keys(value).length === 0)) return false;
    if (title !== undefined) this.newSection(title, indentLevel);
    if (Array.isArray(value)) {
      if (value[0] !== null && typeof value[0] === "object" && !Array.isArray(value[0])) this.fromList(value as Record<string, Json>[], indentLevel, title);
      else
        for (const item of value) {
          if (isScalar(item)) this.addRow([item]);
          else if (Array.isArray(item) && item.every(isScalar)) this.addRow(item);
          else this.build(undefined, item, 0);
        }
    } else if (typeof value === "object") {
      this.fromDict(value as Record<string, Json>, indentLevel);
    }
    return true;
  }

  private fromDict(value: Record<string, Json>, indentLevel: number): void {
    const [headers, more] = groupKeys(value);
    if (headers.length === 1) this.addRow([headers[0], value[headers[0]!]]);
    else if (headers.length > 0) {
      this.addHeader(headers);
      this.addRow(headers.map((key) => value[key]));
    }
    for (const key of more) this.build(key, value[key], indentLevel + 1);
  }

  private fromList(items: Record<string, Json>[], indentLevel: number, title: string | undefined): void {
    const headers = new Set<string>();
    const more = new Set<string>();
    for (const item of items) {
      const [itemHeaders, itemMore] = groupKeys(item);
      itemHeaders.forEach((key) => headers.add(key));
      itemMore.forEach((key) => more.add(key));
    }
    const sortedHeaders = [...headers].sort();
    const sortedMore = [...more].sort();
    this.addHeader(sortedHeaders);
    items.forEach((item, index) => {
      if (index > 0 && sortedMore.length > 0) {
        this.newSection(title ?? "", indentLevel);
        this.addHeader(sortedHeaders);
      }
      this.addRow(sortedHeaders.map((key) => (key in item ? item[key] : "")));
      for (const key of sortedMore) if (key in item) this.build(key, item[key], indentLevel + 1);
    });
  }

  private newSection(title: string, indentLevel: number): void {
    this.current = { title, headers: [], rows: [], indentLevel, maxWidths: [] };
    this.sections.push(this.current);
  }

  private addHeader(headers: string[]): void {
    this.updateWidths(headers);
    this.current.headers = headers;
  }

  private addRow(row: Json[]): void {
    if (!this.current) this.newSection("", 0);
    const cells = row.map(pythonString);
    this.current.rows.push(cells);
    this.updateWidths(cells);
  }

  private updateWidths(cells: string[]): void {
    const widths = this.current.maxWidths;
    cells.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, textLength(cell))));
  }
}

function groupKeys(value: Record<string, Json>): [string[], string[]] {
  const keys = Object.keys(value);
  return [keys.filter((key) => isScalar(value[key])).sort(), keys.filter((key) => !isScalar(value[key])).sort()];
}

// East Asian wide characters take two columns, as table.py's get_text_length counts them.
function textLength(text: string): number {
  let length = 0;
  for (const char of text) length += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return length;
}

function render(sections: Section[], terminalWidth: number): string {
  let maxWidth = Math.max(...sections.map(totalWidth));
  if (maxWidth > terminalWidth) {
    sections.forEach(convertToVertical);
    maxWidth = Math.max(...sections.map(totalWidth));
  }
  let out = `${"-".repeat(maxWidth)}\n`;
  for (const section of sections) out += renderSection(section, maxWidth);
  return out;
}

function convertToVertical(section: Section): void {
  if (section.rows.length !== 1 || section.headers.length === 0) return;
  const row = section.rows[0]!;
  section.rows = section.headers.map((header, index) => [header, row[index] ?? ""]);
  section.headers = [];
  section.maxWidths = [];
  for (const cells of section.rows) cells.forEach((cell, index) => (section.maxWidths[index] = Math.max(section.maxWidths[index] ?? 0, textLength(cell))));
}

function totalWidth(section: Section): number {
  const columns = section.maxWidths.reduce((sum, width) => sum + width + 4, 0);
  const outer = section.indentLevel * 2;
  return Math.max(textLength(section.title) + 2 + outer, columns + 2 + outer);
}

function columnWidths(section: Section, maxWidth: number): number[] {
  const unscaled = section.maxWidths.map((width) => width + 4);
  if (unscaled.length === 0) return unscaled;
  const factor = maxWidth / unscaled.reduce((sum, width) => sum + width, 0);
  const scaled = unscaled.map((width) => pythonRound(factor * width));
  let offBy = scaled.reduce((sum, width) => sum + width, 0) - maxWidth;
  while (offBy !== 0) {
    const order = scaled.map((_, index) => index);
    if (offBy < 0) order.reverse();
    for (const index of order) {
      if (offBy > 0) {
        scaled[index]!--;
        offBy--;
      } else {
        scaled[index]!++;
        offBy++;
      }
      if (offBy === 0) break;
    }
  }
  return scaled;
}

// Python 3's round(): halves go to the even neighbour.
function pythonRound(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function renderSection(section: Section, fullWidth: number): string {
  const indent = "|".repeat(section.indentLevel);
  const line = (text: string) => `${indent}${text}${indent}\n`;
  const width = fullWidth - section.indentLevel * 2;
  let out = "";
  if (section.title) {
    out += line(centerText(section.title, width, "|", "|"));
    if (section.headers.length === 0 && section.rows.length === 0) out += line(`+${"-".repeat(width - 2)}+`);
  }
  const widths = columnWidths(section, width);
  if (section.headers.length > 0) {
    out += line(lineBreak(widths));
    out += line(section.headers.map((header, index) => centerText(header, widths[index]!, index === 0 ? "|" : "", "|")).join(""));
  }
  if (section.rows.length > 0 && widths.length > 0) {
    out += line(lineBreak(widths));
    for (const row of section.rows)
      out += line(widths.map((columnWidth, index) => alignLeft(row[index] ?? "", columnWidth, index === 0 ? "|" : "", "|")).join(""));
    out += line(lineBreak(widths));
  }
  return out;
}

function lineBreak(widths: number[]): string {
  return widths.map((width, index) => (index === 0 ? `+${"-".repeat(width - 2)}+` : `${"-".repeat(width - 1)}+`)).join("");
}

function centerText(text: string, length: number, leftEdge: string, rightEdge: string): string {
  const textLen = textLength(text);
  const start = Math.floor(length / 2) - Math.floor(textLen / 2) - 1;
  const soFar = leftEdge.length + start + textLen;
  return `${leftEdge}${" ".repeat(Math.max(start, 0))}${text}${" ".repeat(Math.max(length - rightEdge.length - soFar, 0))}${rightEdge}`;
}

function alignLeft(text: string, length: number, leftEdge: string, rightEdge: string): string {
  const textLen = textLength(text);
  const padding = length - (textLen + 2 + leftEdge.length + rightEdge.length) >= 0 ? 2 : 0;
  const soFar = leftEdge.length + padding + textLen;
  return `${leftEdge}${" ".repeat(padding)}${text}${" ".repeat(Math.max(length - soFar - rightEdge.length, 0))}${rightEdge}`;
}
