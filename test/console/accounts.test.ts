// The console is a client like any other: a wrong secret does not get in, and a second account sees none of the
// first's resources (its images, its instances' ids), only the capacity they take on the shared fleet.
import { CopyImageCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { beforeAll, expect, it } from "vitest";
import { consoleBrowser, signIn } from "../support/browser.js";
import { serverWithAmazonImages } from "../support/images.js";
import { admin } from "../support/processes.js";

const shared = serverWithAmazonImages();
const { server } = shared;
const browser = consoleBrowser();
let other: { accessKeyId: string; secretAccessKey: string };
let firstImageId: string;
let firstInstanceId: string;

beforeAll(async () => {
  other = await admin(server.databaseUrl, "create-account", "--account-id", "111122223333");
  const ec2 = server.ec2();
  ({ ImageId: firstImageId = "" } = await ec2.send(
    new CopyImageCommand({ SourceImageId: shared.images.al2023X86, SourceRegion: "us-east-1", Name: "first-account-image" }),
  ));
  const { Instances = [] } = await ec2.send(
    new RunInstancesCommand({
      ImageId: shared.images.al2023X86,
      InstanceType: "m5.large",
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: "us-east-1a" },
    }),
  );
  firstInstanceId = Instances[0]!.InstanceId!;
});

it("refuses a wrong secret: the server checks the browser's signature like any other", async () => {
  const page = await browser.open();
  await signIn(page, server.url, { accessKeyId: "test", secretAccessKey: "not-the-secret" });
  await expect(page.getByRole("alert").textContent()).resolves.toMatch(/^SignatureDoesNotMatch: /);
  await browser.screenshot(page, "sign-in-refused");
});

it("shows the first account its own image and instance", async () => {
  const page = await browser.open();
  await signIn(page, server.url);
  await page.locator(`th[scope=row] >> text=first-account-image`).waitFor();
  await expect(page.locator(`td[data-image-id="${firstImageId}"]`).count()).resolves.toBeGreaterThan(0);
  await page.getByRole("link", { name: "Fleet" }).click();
  await page.locator(`li.guest.mine[data-instance-id="${firstInstanceId}"]`).waitFor();
});

it("shows a second account none of the first's resources, only the capacity its instance takes", async () => {
  const page = await browser.open();
  await signIn(page, server.url, other);
  await page.getByText("Account 111122223333 · us-east-1").waitFor();
  await page.locator("td.cell").first().waitFor();
  await expect(page.locator(`td[data-image-id="${firstImageId}"]`).count()).resolves.toBe(0);
  await page.getByLabel("Owner").selectOption("mine");
  await page.getByText(/^0 images × \d+ instance types/).waitFor();

  await page.getByRole("link", { name: "Fleet" }).click();
  await page.getByLabel("Zone").selectOption("us-east-1a");
  // The first account's instance is there as occupied capacity, without its id.
  const occupied = page.locator("li.guest.other", { hasText: "occupied · m5.large" });
  await occupied.first().waitFor();
  await expect(page.locator("li.guest.mine").count()).resolves.toBe(0);
  await expect(page.content()).resolves.not.toContain(firstInstanceId);
  await browser.screenshot(page, "fleet-second-account");

  // Asked for by id, the first account's instance does not exist for the second: every section says so.
  await page.goto(`${server.url}/console/#/instance?id=${firstInstanceId}`);
  await page.locator("#section-boot-log .error").waitFor();
  await expect(page.locator("#section-boot-log .error").textContent()).resolves.toMatch(/^InvalidInstanceID\.NotFound: /);
  await expect(page.locator("#section-guest .error").textContent()).resolves.toMatch(/^InvalidInstanceID\.NotFound: /);
  await expect(page.locator(".boot-log").count()).resolves.toBe(0);
  await page.getByRole("link", { name: "Workflows" }).click();
  await page.getByText(/^0 workflows, 0 live migrations/).waitFor();
});
