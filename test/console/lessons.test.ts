// Lessons in a real browser: each step is run from its button until the lesson says it is complete; every step
// shows the aws command that makes its call. A step not met yet (a workflow still running) is run again after the
// virtual clock moves, as a learner would.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { consoleBrowser, signIn } from "../support/browser.js";
import { testServer } from "../support/server.js";

const server = testServer();
const browser = consoleBrowser();
let page: Page;

/**
 * Runs the next step until the lesson is complete; at most `tries` runs, so a lesson that cannot finish fails. With
 * `keyboard`, each step after the first is run from the keyboard: a passed step moves the focus to the next one,
 * whose "Copy command" and "Run" buttons come next in the tab order.
 */
async function complete(lessonId: string, tries: number, keyboard = false): Promise<string[]> {
  // The tests share one signed-in page; a test run on its own (vitest -t) signs in first.
  if (!page) {
    page = await browser.open();
    await signIn(page, server.url);
  }
  await page.goto(`${server.url}/console/#/lessons?id=${lessonId}`);
  const steps = page.locator("li.lesson-step");
  await steps.first().waitFor();
  const completion = page.locator('.lesson-completion[data-complete="true"]');
  for (let click = 0; click < tries && !(await completion.count()); click++) {
    const next = page.locator('li.lesson-step:is([data-state="to-do"], [data-state="not-yet"])').first();
    if ((await next.getAttribute("data-state")) === "not-yet") {
      await page.getByRole("button", { name: "Advance" }).click();
    }
    if (keyboard && click > 0 && (await next.getAttribute("data-state")) === "to-do") {
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await expect(page.locator(":focus").textContent()).resolves.toMatch(/^Run step \d+$/);
      await page.keyboard.press("Enter");
    } else await next.getByRole("button", { name: /^Run step/ }).click();
    // The list is drawn again once the step's answer is judged.
    await page.locator(`ol.lesson-steps[data-judged="${click + 1}"]`).waitFor();
  }
  const outcomes = await steps.evaluateAll((lis) => lis.map((li) => `${li.getAttribute("data-state")}: ${li.querySelector(".outcome")?.textContent ?? ""}`));
  expect(await completion.count(), outcomes.join("\n")).toBe(1);
  return outcomes;
}

describe("lessons", () => {
  it("makes a PV AMI run on m5.large: refused, converted, launched and booted, each step an aws command", { timeout: 120_000 }, async () => {
    const outcomes = await complete("pv-to-m5", 40);
    expect(outcomes[0]).toContain("Refused, as expected");
    expect(outcomes.at(-1)).toContain("It booted on Nitro");
    const commands = await page.locator("pre.cli").allTextContents();
    expect(commands[0]).toMatch(/^aws --endpoint-url http:\/\/127\.0\.0\.1:\d+ mini-ec2 explain-launch --image-id ami-[0-9a-f]{17} --instance-type m5\.large$/);
    expect(commands[5]).toMatch(
      / ec2 run-instances --image-id ami-[0-9a-f]{17} --instance-type m5\.large --min-count 1 --max-count 1 --placement AvailabilityZone=us-east-1a$/,
    );
    // The commands are the CLI's: the first one, run by the AWS CLI, answers what the step's call answered.
    const [, , , ...args] = commands[0]!.split(" ");
    const explained = await aws(server.url, args);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.json.Launchable).toBe(false);
    await page.locator(".lesson-completion").scrollIntoViewIfNeeded();
    await browser.screenshot(page, "lesson");
  });

  it("repairs a Xen guest for Nitro, after reading why it does not boot", { timeout: 60_000 }, async () => {
    const outcomes = await complete("xen-guest-on-nitro", 30);
    expect(outcomes[5]).toContain("It did not boot");
  });

  it("compares pre-copy and post-copy, and names the kinds of hypervisor, one lesson run from the keyboard", { timeout: 60_000 }, async () => {
    const migration = await complete("pre-copy-post-copy", 30);
    expect(migration.at(-1)).toMatch(/Downtime: pre-copy [\d.]+ ms, post-copy [\d.]+ ms/);
    const kinds = await complete("hypervisor-kinds", 20, true);
    expect(kinds[0]).toContain("m4.large: xen, m5.large: nitro, m5.metal: none");
  });

  it("shows a noisy neighbour's disk latency on Xen, and the Dedicated Host that removes it", { timeout: 90_000 }, async () => {
    const outcomes = await complete("noisy-neighbour", 30);
    const [shared] = outcomes[4]!
      .match(/Mean disk latency ([\d.]+) ms/)!
      .slice(1)
      .map(Number);
    const [isolated, against] = outcomes
      .at(-1)!
      .match(/Mean disk latency ([\d.]+) ms on the Dedicated Host \(dom0 at 0%\), against ([\d.]+) ms/)!
      .slice(1)
      .map(Number);
    expect(against).toBe(shared);
    expect(isolated).toBeLessThan(shared!);
    expect(outcomes[4]).toMatch(/dom0 at [1-9]\d*%/);
    // The last step's command, run by the AWS CLI, answers the figures the step judged.
    const [, , , ...args] = (await page.locator("pre.cli").allTextContents()).at(-1)!.split(" ");
    const read = await aws(server.url, args);
    expect(read.code, read.stderr).toBe(0);
    const values: number[] = read.json.MetricDataResults.find((result: { MetricName: string }) => result.MetricName === "DiskLatencyMs").Values;
    expect((values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(2)).toBe(isolated!.toFixed(2));
    await page.locator(".lesson-completion").scrollIntoViewIfNeeded();
    await browser.screenshot(page, "lesson-noisy-neighbour");
  });
});
