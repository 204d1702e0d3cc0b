// The console in a real browser: sign-in, the compatibility matrix against ExplainLaunch, a cell's explanation,
// and a launch from the matrix that shows up on its server in the fleet.
import type { Page } from "playwright-core";
import { DescribeImagesCommand, paginateDescribeInstanceTypes } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleBrowser, signIn } from "../support/browser.js";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";
import { seedPrivateImages } from "../support/seed-images.js";

const shared = serverWithAmazonImages();
const { server } = shared;
const browser = consoleBrowser();
/** More rows than the grid adds at a time (10), so that it is built in several steps. */
const ownImages = 30;
let catalogRows = 0;
beforeAll(async () => {
  await seedPrivateImages(server.databaseUrl, ownImages);
  const { Images = [] } = await server.ec2().send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "image-type", Values: ["machine"] }] }));
  catalogRows = Images.length;
});
/** One tab for the file, signed in by the first test, as a learner would use it. */
let page: Page;

/** The XML answer's items (one item parses as an object, none as an empty string). */
const items = <T>(set: unknown): T[] => (set && typeof set === "object" && "item" in set ? ([] as T[]).concat((set as { item: T | T[] }).item) : []);

async function explain(imageId: string, instanceType: string) {
  const result = await extension(server.url, "ExplainLaunch", { ImageId: imageId, InstanceType: instanceType });
  const checks = items<{ ruleId: string; outcome: string; fix?: string }>(result.checkSet);
  return { launchable: result.launchable === true, wouldBoot: result.wouldBoot === true, checks };
}

describe("the console", () => {
  it("signs in with the default key and shows the matrix, whose verdicts are ExplainLaunch's", async () => {
    page = await browser.open();
    await signIn(page, server.url);
    await expect(page.getByText("Account 000000000000 · us-east-1 · test").count()).resolves.toBe(1);
    await page.locator("td.cell").first().waitFor();
    // The grid is added a screenful of rows at a time, busy until its last row is in: then every row has every column.
    await page.locator("table.matrix:not([aria-busy])").waitFor();
    const [rowCount, columnCount] = await page
      .locator("table.matrix")
      .evaluate((table) => [table.querySelectorAll("tbody tr").length, table.querySelectorAll("thead th").length - 1]);
    expect(rowCount).toBe(ownImages + catalogRows);
    const cells = await page.locator("td.cell").evaluateAll((tds) =>
      tds.map((td) => ({
        imageId: td.getAttribute("data-image-id"),
        instanceType: td.getAttribute("data-instance-type"),
        verdict: td.getAttribute("data-verdict"),
        rules: td.getAttribute("data-rules"),
        word: td.querySelector(".word")?.textContent,
      })),
    );
    expect(cells.length).toBe(rowCount * columnCount);
    // Every kind of verdict is on the page, each with its word (not colour alone), and a sample of cells is compared.
    expect(new Set(cells.map((c) => c.verdict))).toEqual(new Set(["runs", "no-boot", "refused"]));
    const words = { runs: "runs", "no-boot": "no boot", refused: "refused" } as Record<string, string>;
    for (const cell of cells.filter((_c, index) => index % Math.floor(cells.length / 25) === 0)) {
      const { launchable, wouldBoot, checks } = await explain(cell.imageId!, cell.instanceType!);
      const kind = !launchable ? "refused" : wouldBoot ? "runs" : "no-boot";
      const rules = checks.filter((c) => c.outcome === "failed" || c.outcome === "warning").map((c) => c.ruleId);
      expect({ verdict: cell.verdict, word: cell.word, rules: cell.rules }, `${cell.imageId} on ${cell.instanceType}`).toEqual({
        verdict: kind,
        word: words[kind],
        rules: rules.join(" "),
      });
    }
    // The first columns come from the type names alone; the type filters wait for every type's facts, then offer
    // every family of the region.
    const families = new Set<string>();
    for await (const typesPage of paginateDescribeInstanceTypes({ client: server.ec2() }, {})) {
      for (const type of typesPage.InstanceTypes ?? []) families.add(type.InstanceType!.split(".")[0]!);
    }
    const family = page.locator("fieldset:not([disabled]) #select-family");
    await family.waitFor();
    await expect(family.locator("option").count()).resolves.toBe(families.size + 1);
    await browser.screenshot(page, "matrix");
  });

  it("explains a refused cell rule by rule, with the failed rule and its fix, reached by the keyboard", async () => {
    const imageId = shared.images.pvX86;
    // The row's first cell takes the focus; arrow keys walk to the m5.large column and Enter opens it.
    const row = page.locator("tr", { has: page.locator(`td[data-image-id="${imageId}"]`) });
    await row.locator("td").first().waitFor();
    const types = await row.locator("td").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-instance-type")));
    await row.locator("td").first().focus();
    for (let i = 0; i < types.indexOf("m5.large"); i++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /on m5\.large$/ }).waitFor();

    const { checks } = await explain(imageId, "m5.large");
    const failed = checks.filter((c) => c.outcome === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const rule of failed) {
      const shown = page.locator(`.explanation li.check[data-rule-id="${rule.ruleId}"]`);
      await expect(shown.getAttribute("data-outcome")).resolves.toBe("failed");
      await expect(shown.locator(".fix").textContent()).resolves.toBe(`Fix: ${rule.fix}`);
    }
    await browser.screenshot(page, "explanation");
  });

  it("launches from a cell, and the instance appears on its server in the fleet", async () => {
    await page.locator(`td[data-image-id="${shared.images.al2023X86}"][data-instance-type="m5.large"]`).click();
    await page.getByRole("button", { name: "Launch m5.large here" }).click();
    const launched = page.locator(".launched");
    await launched.waitFor();
    const instanceId = (await launched.locator("code").textContent())!;
    expect(instanceId).toMatch(/^i-[0-9a-f]{17}$/);

    await launched.getByRole("link", { name: "See it on its server in the fleet" }).click();
    const guest = page.locator(`li.guest.mine[data-instance-id="${instanceId}"]`);
    await guest.waitFor();
    // The server the page shows it on is the one DescribeFleet places it on.
    const fleet = await extension(server.url, "DescribeFleet", { MaxResults: "1000" });
    const host = items<{ serverId: string; instanceSet: unknown }>(fleet.serverSet).find((s) =>
      items<{ instanceId?: string }>(s.instanceSet).some((i) => i.instanceId === instanceId),
    );
    expect(host).toBeDefined();
    await expect(page.locator(`li.server[data-server-id="${host!.serverId}"] li.guest[data-instance-id="${instanceId}"]`).count()).resolves.toBe(1);
    await browser.screenshot(page, "fleet");
  });

  it("moves the virtual clock by the chosen step from the control above every page", async () => {
    const now = page.locator(".clock-now");
    const before = Number(await now.getAttribute("data-offset-seconds"));
    await page.getByLabel("Advance the clock by").selectOption({ label: "1 hour" });
    await page.getByRole("button", { name: "Advance" }).click();
    await page.locator(`.clock-now[data-offset-seconds="${before + 3600}"]`).waitFor();
    const { offsetSeconds } = await extension(server.url, "AdvanceClock", { Seconds: "0" });
    expect(Number(offsetSeconds)).toBe(before + 3600);
  });
});
