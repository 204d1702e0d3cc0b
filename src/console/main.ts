// The console's shell: sign-in when there is no session, else the navigation, the clock and the page the URL's
// hash names (#/matrix, #/fleet). Each page is a module that renders into the main element and returns how to stop
// it (the fleet stops polling), so that later pages slot in with one line in `pages`.
import "./style.css";
import { Client } from "./api/client.js";
import { fleetPage } from "./pages/fleet.js";
import { instancePage } from "./pages/instance.js";
import { lessonsPage } from "./pages/lessons.js";
import { workflowsPage } from "./pages/workflows.js";
import { matrixPage } from "./pages/matrix.js";
import { signInPage } from "./pages/sign-in.js";
import { currentSession, endSession } from "./session.js";
import { clockControl } from "./ui/clock.js";
import { h, replaceChildren } from "./ui/dom.js";

export interface PageContext {
  client: Client;
  /** Listeners the clock control calls after it moves the clock, so a page can refresh what time changed. */
  onClockAdvance(listener: () => void): void;
}

export interface Page {
  title: string;
  render(main: HTMLElement, context: PageContext): (() => void) | undefined;
}

const pages: Record<string, Page> = {
  matrix: matrixPage,
  fleet: fleetPage,
  instance: instancePage,
  workflows: workflowsPage,
  lessons: lessonsPage,
};

const app = document.getElementById("app")!;
let stopPage: (() => void) | undefined;

function route(): void {
  stopPage?.();
  stopPage = undefined;
  const session = currentSession();
  if (!session) {
    replaceChildren(
      app,
      signInPage(() => route()),
    );
    return;
  }
  const name = location.hash.replace(/^#\/?/, "").split("?")[0] || "matrix";
  const page = pages[name] ?? matrixPage;
  const client = new Client(session);
  const clockListeners: Array<() => void> = [];
  const main = h("main", { id: "main", tabindex: -1 });
  const nav = h(
    "nav",
    { "aria-label": "Pages" },
    ...Object.entries(pages).map(([key, { title }]) => h("a", { href: `#/${key}`, "aria-current": page === pages[key] ? "page" : undefined }, title)),
  );
  const signOut = h(
    "button",
    {
      type: "button",
      onclick: () => {
        endSession();
        route();
      },
    },
    "Sign out",
  );
  const header = h(
    "header",
    {},
    h("a", { class: "skip", href: "#main", onclick: (event: Event) => (event.preventDefault(), main.focus()) }, "Skip to content"),
    h("h1", {}, "mini-ec2"),
    nav,
    clockControl(client, () => {
      for (const listener of clockListeners) listener();
    }),
    h("span", { class: "who" }, `Account ${session.accountId} · ${session.region} · ${session.accessKeyId}`),
    signOut,
  );
  replaceChildren(app, header, main);
  document.title = `${page.title} · mini-ec2 console`;
  stopPage = page.render(main, { client, onClockAdvance: (listener) => clockListeners.push(listener) });
}

window.addEventListener("hashchange", route);
route();
