// A state shown with an icon, a word and a colour, never colour alone: instance states, workflow steps, migrations,
// lesson steps. The tone picks the colour (and the icon); the word is the API's own state name.
import { h } from "./dom.js";

export type Tone = "ok" | "busy" | "bad" | "idle";

const icons: Record<Tone, string> = { ok: "✓", busy: "◔", bad: "✗", idle: "○" };

const tones: Record<string, Tone> = {
  running: "ok",
  completed: "ok",
  succeeded: "ok",
  ok: "ok",
  available: "ok",
  passed: "ok",
  pending: "busy",
  "in-progress": "busy",
  stopping: "busy",
  "shutting-down": "busy",
  initializing: "busy",
  compensating: "busy",
  failed: "bad",
  impaired: "bad",
  cancelled: "bad",
  terminated: "bad",
  repair: "bad",
  stopped: "idle",
  "not-applicable": "idle",
};

export function toneOf(state: string): Tone {
  return tones[state] ?? "idle";
}

/** A badge: icon (hidden from screen readers, which read the word), word, and the tone's colour. */
export function statusBadge(state: string, tone: Tone = toneOf(state)): HTMLElement {
  return h(
    "span",
    { class: `status ${tone}`, "data-state": state },
    h("span", { class: "icon", "aria-hidden": "true" }, icons[tone]),
    ` ${state || "unknown"}`,
  );
}
