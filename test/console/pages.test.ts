// The console's later pages in a real browser: a guest in the fleet opens its instance page, whose boot log marks
// the lines DescribeInstanceBoot calls deciding; a conversion started on the workflows page shows its steps
// advance to the end; a live migration shows its rounds; the fleet marks a drained and a failed server.
import { RunInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleBrowser, signIn } from "../support/browser.js";
import { extension } from "../support/extensions.js";
import { serverWithAmazonImages } from "../support/images.js";

const shared = serverWithAmazonImages();
const browser = consoleBrowser();
let page: Page;

/** The XML answer's items (one item parses as an object, none as an empty string). */
const items = <T>(set: unknown): T[] => (set && typeof set === "object" && "item" in set ? ([] as T[]).concat((set as { item: T | T[] }).item) : []);

async function launch(imageId: string, instanceType: _InstanceType): Promise<string> {
  const { Instances } = await shared.server
    .ec2()
    .send(new RunInstancesCommand({ ImageId: imageId, InstanceType: instanceType, MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }));
  return Instances![0]!.InstanceId!;
}

describe("the console's instance, workflows and fleet pages", () => {
  it("opens a guest from the fleet, and its boot log marks the lines that decided the boot", async () => {
    const instanceId = await launch(shared.images.pvX86, "m1.small");
    page = await browser.open();
    await signIn(page, shared.server.url);
    await page.getByRole("link", { name: "Fleet" }).click();
    await page.locator(`li.guest.mine[data-instance-id="${instanceId}"] a`).click();
    await page.getByRole("heading", { name: `Instance ${instanceId}` }).waitFor();
    await page.locator(".boot-log .line.deciding").first().waitFor();

    const boot = await extension(shared.server.url, "DescribeInstanceBoot", { InstanceId: instanceId });
    const deciding = items<{ text: string; deciding: boolean }>(boot.consoleLineSet)
      .filter((line) => line.deciding)
      .map((line) => line.text);
    const shown = await page.locator(".boot-log .line.deciding").evaluateAll((lines) => lines.map((line) => line.childNodes[1]!.textContent));
    expect(shown).toEqual(deciding);
    expect(shown[0]).toContain("blkfront: xvda");
    // Each device's path in words, its driver present, a state not shown by colour alone.
    const disk = page.locator('.io-paths tr[data-device="xvda"]');
    await expect(disk.getAttribute("data-path")).resolves.toBe("pv-split-driver");
    await expect(disk.textContent()).resolves.toContain("PV split driver (front end in the guest, back end in dom0)");
    await expect(disk.locator(".status").textContent()).resolves.toContain("present");
    await browser.screenshot(page, "instance");
  });

  it("starts a PV to HVM conversion whose steps advance to the end, each with what it made", { timeout: 90_000 }, async () => {
    await page.getByRole("link", { name: "Workflows" }).click();
    // A PV kernel with the ena and nvme drivers: with ENA (checked by default), the new image runs on Nitro.
    await page.locator(`#conversion-source option[value="${shared.images.pvEnaReady}"]`).waitFor({ state: "attached" });
    await page.getByLabel("PV image").selectOption(shared.images.pvEnaReady);
    await page.getByRole("button", { name: "Start the conversion" }).click();
    const taskId = (await page.locator(".started-task").textContent())!;
    const section = page.locator(`section.workflow[data-task-id="${taskId}"]`);
    await section.waitFor();
    await page.locator(`section.workflow[data-task-id="${taskId}"]:is([data-state="succeeded"], [data-state="failed"])`).waitFor({ timeout: 60_000 });
    await expect(section.getAttribute("data-state")).resolves.toBe("succeeded");

    const { imageConversionSet } = await extension(shared.server.url, "DescribeImageConversions", { "ConversionTaskId.1": taskId });
    const [conversion] = items<{ imageId: string; stepSet: unknown }>(imageConversionSet);
    const steps = items<{ name: string; state: string }>(conversion!.stepSet);
    const shownSteps = await section
      .locator("li.step")
      .evaluateAll((lis) => lis.map((li) => ({ name: li.getAttribute("data-step"), state: li.getAttribute("data-state") })));
    expect(shownSteps).toEqual(steps.map((step) => ({ name: step.name, state: step.state })));
    expect(shownSteps.length).toBeGreaterThan(10);
    // The new image is a link to the guest it holds.
    await section.getByRole("link", { name: conversion!.imageId }).first().click();
    await page.locator(".artifact-guest dd", { hasText: "grub-mbr" }).first().waitFor();
    await section.scrollIntoViewIfNeeded();
    await browser.screenshot(page, "workflows");
  });

  it("shows a Xen to Nitro migration's steps beside the conversions", async () => {
    const instanceId = await launch(shared.images.hvmNoEna, "t2.micro");
    const { migrationTaskId } = await extension(shared.server.url, "StartNitroMigration", { InstanceId: instanceId, TargetInstanceType: "m5.large" });
    await page.getByRole("link", { name: "Workflows" }).click();
    const section = page.locator(`section.workflow.nitro-migration[data-task-id="${migrationTaskId}"]`);
    await section.locator("li.step").first().waitFor();
    await expect(section.locator("h4").textContent()).resolves.toContain(`Xen to Nitro (CheckOnly): ${instanceId} → m5.large`);
    // Its instance links to the instance page.
    await section.getByRole("link", { name: instanceId }).first().click();
    await page.getByRole("heading", { name: `Instance ${instanceId}` }).waitFor();
  });

  it("charts a live migration's rounds, with the stop-and-copy round named in words", async () => {
    const instanceId = await launch(shared.images.al2023X86, "m5.large");
    await extension(shared.server.url, "SetInstanceWorkload", { InstanceId: instanceId, DirtyPagesPerSecond: "20000", WritableWorkingSetMiB: "2048" });
    const { migrationId } = await extension(shared.server.url, "MigrateInstance", { InstanceId: instanceId, Strategy: "pre-copy" });
    await page.getByRole("link", { name: "Workflows" }).click();
    const section = page.locator(`section.live-migration[data-migration-id="${migrationId}"]`);
    await section.locator("figure.chart canvas").first().waitFor();
    const rows = await section.locator("table.figures tbody tr").count();
    const { migrationSet } = await extension(shared.server.url, "DescribeInstanceMigrations", { "MigrationId.1": migrationId });
    const [migration] = items<{ roundSet: unknown }>(migrationSet);
    expect(rows).toBe(items(migration!.roundSet).length);
    await expect(section.locator("table.figures").textContent()).resolves.toContain("paused (stop-and-copy)");
    await section.scrollIntoViewIfNeeded();
    await browser.screenshot(page, "live-migration");
  });

  it("marks a server under maintenance, and then failed, in words as well as colour", async () => {
    const instanceId = await launch(shared.images.al2023X86, "m5.large");
    const fleet = await extension(shared.server.url, "DescribeFleet", { MaxResults: "1000", AvailabilityZone: "us-east-1a" });
    const host = items<{ serverId: string; instanceSet: unknown }>(fleet.serverSet).find((s) =>
      items<{ instanceId?: string }>(s.instanceSet).some((i) => i.instanceId === instanceId),
    )!;
    await extension(shared.server.url, "StartServerMaintenance", { ServerId: host.serverId });
    await page.getByRole("link", { name: "Fleet" }).click();
    const server = page.locator(`li.server[data-server-id="${host.serverId}"]`);
    await page.locator(`li.server[data-server-id="${host.serverId}"][data-state="under-maintenance"]`).waitFor();
    await expect(server.locator(".status").textContent()).resolves.toContain("under maintenance");

    await extension(shared.server.url, "FailServer", { ServerId: host.serverId });
    await page.locator(`li.server[data-server-id="${host.serverId}"][data-state="failed"]`).waitFor();
    await expect(server.locator(".status").textContent()).resolves.toContain("failed");
    await server.scrollIntoViewIfNeeded();
    await browser.screenshot(page, "fleet-failed-server");
  });

  it("charts a Xen guest's metrics, the figures GetInstanceMetrics answers for the window the page names", async () => {
    if (!page) {
      page = await browser.open();
      await signIn(page, shared.server.url);
    }
    const victim = await launch(shared.images.al2Ena, "m4.large");
    const neighbour = await launch(shared.images.al2Ena, "m4.large");
    await extension(shared.server.url, "AdvanceClock", { Seconds: "300" });
    await extension(shared.server.url, "SetInstanceWorkload", { InstanceId: neighbour, DiskIops: "20000" });
    await extension(shared.server.url, "AdvanceClock", { Seconds: "300" });
    await page.goto(`${shared.server.url}/console/#/instance?id=${victim}`);
    const latency = page.locator('#section-metrics .metric[data-metric="DiskLatencyMs"]');
    await latency.locator("figure.chart canvas").first().waitFor();

    const window = page.locator("#section-metrics .metrics-window");
    const [startTime, endTime, period] = await Promise.all(["data-start-time", "data-end-time", "data-period"].map((name) => window.getAttribute(name)));
    const answer = await extension(shared.server.url, "GetInstanceMetrics", {
      InstanceId: victim,
      "MetricName.1": "DiskLatencyMs",
      "MetricName.2": "Dom0CpuPercent",
      StartTime: startTime!,
      EndTime: endTime!,
      Period: period!,
      ScanBy: "TimestampAscending",
    });
    const results = items<{ metricName: string; timestampSet: unknown; valueSet: unknown }>(answer.metricDataResultSet);
    expect(results.map((result) => result.metricName).sort()).toEqual(["DiskLatencyMs", "Dom0CpuPercent"]);
    for (const result of results) {
      const rows = await page
        .locator(`#section-metrics .metric[data-metric="${result.metricName}"] table.figures tbody tr`)
        .evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent]));
      const expected = items<string>(result.timestampSet).map((stamp, index) => [
        new Date(stamp).toISOString(),
        String(Number(items<string>(result.valueSet)[index])),
      ]);
      expect(rows, result.metricName).toEqual(expected);
    }
    // The neighbour's 20,000 IOPS went through the dom0 they share: the victim's latency rose with it.
    const values = items<string>(
      items<{ metricName: string; valueSet: unknown }>(answer.metricDataResultSet).find((r) => r.metricName === "DiskLatencyMs")!.valueSet,
    ).map(Number);
    expect(values.length).toBeGreaterThan(5);
    expect(values.at(-1)).toBeGreaterThan(values[0]!);
    await latency.scrollIntoViewIfNeeded();
    await browser.screenshot(page, "instance-metrics");
  });
});
