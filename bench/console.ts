// The console's costs: ExplainLaunchMatrix on a screenful (50 images by 100 types), and the console's first page
// in Chromium (sign-in to the matrix rendered), when /usr/bin/chromium is there.
import { existsSync } from "node:fs";
import { DescribeImagesCommand, DescribeInstanceTypesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import type { Browser } from "playwright-core";
import { extension } from "../test/support/extensions.js";
import type { Scenario } from "./harness.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function consoleScenarios(endpoint: string, ec2: EC2Client): Scenario[] {
  const params: Record<string, string> = {};
  const matrix: Scenario = {
    name: "ExplainLaunchMatrix 50×100 (the catalog's images, then private ones)",
    calls: 40,
    concurrency: 1,
    warmup: 3,
    async setup() {
      const amazon = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "image-type", Values: ["machine"] }] }))).Images ?? [];
      const own = (await ec2.send(new DescribeImagesCommand({ Owners: ["self"], MaxResults: 50 }))).Images ?? [];
      const imageIds = [...amazon, ...own].slice(0, 50).map((image) => image.ImageId!);
      const types = ((await ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 100 }))).InstanceTypes ?? []).map((type) => type.InstanceType!);
      if (imageIds.length < 50 || types.length < 100)
        throw new Error(`the matrix bench needs 50 images and 100 types, found ${imageIds.length} and ${types.length}`);
      imageIds.forEach((id, i) => (params[`ImageId.${i + 1}`] = id));
      types.forEach((type, i) => (params[`InstanceType.${i + 1}`] = type));
    },
    call: () => extension(endpoint, "ExplainLaunchMatrix", params),
  };
  if (!existsSync(chromiumPath)) return [matrix];
  let browser: Browser | undefined;
  const firstPage: Scenario = {
    name: "Console first page in Chromium (sign-in to the matrix rendered)",
    calls: 10,
    concurrency: 1,
    warmup: 1,
    async setup() {
      const { chromium } = await import("playwright-core");
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
    },
    async call(i) {
      // A fresh context each time: an empty cache and session, as a first visit.
      const context = await browser!.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${endpoint}/console/`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.locator("td.cell").first().waitFor({ timeout: 60_000 });
      } finally {
        await context.close();
        if (i === 9) await browser!.close();
      }
    },
  };
  return [matrix, firstPage];
}
