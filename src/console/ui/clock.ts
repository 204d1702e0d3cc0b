// The virtual clock's control, on every page: the simulation's time (AdvanceClock with 0 seconds reads it) and a
// button that moves it ahead by a chosen amount. The clock is the server's, the same for every account.
import type { Client } from "../api/client.js";
import { text } from "../api/xml.js";
import { errorBox, h, replaceChildren } from "./dom.js";

const steps: ReadonlyArray<readonly [seconds: number, label: string]> = [
  [60, "1 minute"],
  [600, "10 minutes"],
  [3600, "1 hour"],
  [86_400, "1 day"],
  [604_800, "1 week"],
];

export function clockControl(client: Client, onAdvance: () => void): HTMLElement {
  const now = h("output", { class: "clock-now", "aria-live": "polite" }, "…");
  const status = h("span", { class: "clock-status" });
  const amount = h(
    "select",
    { id: "clock-step", "aria-label": "Advance the clock by" },
    ...steps.map(([seconds, label]) => h("option", { value: seconds }, label)),
  );
  const show = (result: Record<string, unknown>) => {
    const at = new Date(text(result.now as string));
    now.textContent = `${at.toISOString().replace("T", " ").slice(0, 19)} UTC`;
    now.dataset.offsetSeconds = text(result.offsetSeconds as string);
    now.title = `The virtual clock runs ${text(result.offsetSeconds as string)} seconds ahead of the wall clock.`;
  };
  const call = async (seconds: number) => {
    try {
      show(await client.call("extensions", "AdvanceClock", { Seconds: seconds }));
      replaceChildren(status);
      if (seconds > 0) onAdvance();
    } catch (error) {
      replaceChildren(status, errorBox(error));
    }
  };
  const advance = h("button", { type: "button", onclick: () => void call(Number(amount.value)) }, "Advance");
  void call(0);
  return h("div", { class: "clock", role: "group", "aria-label": "Virtual clock" }, h("span", {}, "Virtual time "), now, " ", amount, " ", advance, status);
}
