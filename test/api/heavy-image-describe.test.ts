// No request stalls the others: DescribeImages filters its images a thousand at a time, giving the event loop back
// in between, so a light request sent while a 200-pattern DescribeImages over thousands of images runs is answered
// first. Checked by the order in which the answers come back, not by durations.
import { DescribeImagesCommand, type DescribeImagesRequest, DescribeRegionsCommand, paginateDescribeImages } from "@aws-sdk/client-ec2";
import { beforeAll, expect, it } from "vitest";
import { seedPrivateImages } from "../support/seed-images.js";
import { testServer } from "../support/server.js";

const server = testServer();
// More than two of the filter's chunks (1000 images each).
const privateImages = 2500;

beforeAll(() => seedPrivateImages(server.databaseUrl, privateImages), 300_000);

it("answers a DescribeRegions sent while a 200-pattern DescribeImages over 2500 images runs before that one", async () => {
  // Patterns that match no image name, each costing a search of every name.
  const patterns = Array.from({ length: 200 }, (_, i) => `*x${i}*y*z*`);
  const finished: string[] = [];
  const heavy = server
    .ec2()
    .send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: patterns }] }))
    .then((answer) => {
      finished.push("DescribeImages");
      return answer;
    });
  const light = server
    .ec2()
    .send(new DescribeRegionsCommand({}))
    .then((answer) => {
      finished.push("DescribeRegions");
      return answer;
    });
  const [heavyAnswer, lightAnswer] = await Promise.all([heavy, light]);
  expect(heavyAnswer.Images).toEqual([]);
  expect(lightAnswer.Regions?.some((region) => region.RegionName === "us-east-1")).toBe(true);
  expect(finished).toEqual(["DescribeRegions", "DescribeImages"]);

  // Without Owners or MaxResults every visible image comes back, each private one with its tag.
  const { Images = [] } = await server.ec2().send(new DescribeImagesCommand({}));
  const seeded = Images.filter((image) => image.Name?.startsWith("bench-image-"));
  expect(seeded).toHaveLength(privateImages);
  expect(seeded.find((image) => image.Name === "bench-image-1234")?.Tags).toEqual([{ Key: "batch", Value: "34" }]);
}, 120_000);

// A page asked for with MaxResults stops reading once it is found (src/services/images.ts): its pages, one after
// the other, are still the whole list cut in order, with and without filters.
it("pages through 2500 images to the same list as one answer, with and without filters", async () => {
  const ids = async (request: DescribeImagesRequest, pageSize?: number) => {
    if (!pageSize) return ((await server.ec2().send(new DescribeImagesCommand(request))).Images ?? []).map((image) => image.ImageId);
    const found: Array<string | undefined> = [];
    for await (const page of paginateDescribeImages({ client: server.ec2(), pageSize }, request))
      found.push(...(page.Images ?? []).map((image) => image.ImageId));
    return found;
  };
  const own = { Owners: ["self"], Filters: [{ Name: "image-type", Values: ["machine"] }] };
  const whole = await ids(own);
  expect(whole).toHaveLength(privateImages);
  await expect(ids(own, 1000)).resolves.toEqual(whole);
  const tagged = { Filters: [{ Name: "tag:batch", Values: ["7", "93"] }] };
  const wholeTagged = await ids(tagged);
  expect(wholeTagged).toHaveLength(50);
  await expect(ids(tagged, 15)).resolves.toEqual(wholeTagged);
}, 60_000);
