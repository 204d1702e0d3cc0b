// The console's browser tests: one headless Chromium per test file (Debian's, /usr/bin/chromium, driven by
// playwright-core), a page per test, and a screenshot of each test's end under test/console/screenshots/.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = join(import.meta.dirname, "..", "console", "screenshots");
/** With CONSOLE_DOCS_SCREENSHOTS=1, the screenshots the README shows are written to docs/images/ too (then committed). */
const docsImages = join(import.meta.dirname, "..", "..", "docs", "images");
const docsScreenshots = new Set(["matrix", "fleet", "instance", "workflows", "lesson"]);

export interface ConsoleBrowser {
  /** A fresh browser context (its own sessionStorage: a new tab of its own) with one page. */
  open(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
}

export function consoleBrowser(): ConsoleBrowser {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
    mkdirSync(screenshots, { recursive: true });
  });
  // A script error in the console fails the test that caused it, instead of passing unseen.
  afterEach(() => {
    const [first] = pageErrors.splice(0);
    if (first) throw first;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });
  return {
    async open() {
      const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error));
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(screenshots, `${name}.png`) });
      if (process.env.CONSOLE_DOCS_SCREENSHOTS === "1" && docsScreenshots.has(name)) {
        mkdirSync(docsImages, { recursive: true });
        await page.screenshot({ path: join(docsImages, `console-${name}.png`) });
      }
    },
  };
}

/** Signs in on the console's page with a key (the form's defaults are the default account's test/test). */
export async function signIn(page: Page, url: string, credentials?: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  await page.goto(`${url}/console/`);
  if (credentials) {
    await page.getByLabel("Access key ID").fill(credentials.accessKeyId);
    await page.getByLabel("Secret access key").fill(credentials.secretAccessKey);
  }
  await page.getByRole("button", { name: "Sign in" }).click();
}
