// No request stalls the others: a Describe that scans thousands of instances against 200 wildcard values gives
// the event loop back between pages, so a light request sent while it runs is answered first. Checked by the order
// in which the two answers come back, not by durations.
import { DescribeInstancesCommand, DescribeRegionsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer(() => {
  const fleetFile = join(mkdtempSync(join(tmpdir(), "fleet-")), "fleet.json");
  writeFileSync(
    fleetFile,
    JSON.stringify({
      only: ["us-east-1a"],
      classes: [
        {
          name: "big-nitro",
          hypervisor: "nitro",
          architecture: "x86_64",
          sockets: 2,
          coresPerSocket: 24,
          threadsPerCore: 2,
          memoryGiB: 384,
          perZone: 100,
          families: ["*"],
        },
      ],
    }),
  );
  return { MINI_EC2_FLEET_FILE: fleetFile };
});

// More than two of the scan's pages (1000 instances each).
const instanceCount = 2500;

beforeAll(async () => {
  const { al2Ena } = await amazonImageIds(server.ec2());
  const ec2 = server.ec2();
  for (let launched = 0; launched < instanceCount; launched += 100) {
    await ec2.send(
      new RunInstancesCommand({ ImageId: al2Ena, InstanceType: "t3.micro", MinCount: 100, MaxCount: 100, Placement: { AvailabilityZone: "us-east-1a" } }),
    );
  }
}, 300_000);

it("answers a DescribeRegions sent while a 200-pattern DescribeInstances over 2500 instances runs before that one", async () => {
  // Patterns that match no instance id, each costing a search of every id.
  const patterns = Array.from({ length: 200 }, (_, i) => `*x${i}*y*z*`);
  const finished: string[] = [];
  const heavy = server
    .ec2()
    .send(new DescribeInstancesCommand({ Filters: [{ Name: "instance-id", Values: patterns }] }))
    .then((answer) => {
      finished.push("DescribeInstances");
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
  expect(heavyAnswer.Reservations).toEqual([]);
  expect(lightAnswer.Regions?.some((region) => region.RegionName === "us-east-1")).toBe(true);
  expect(finished).toEqual(["DescribeRegions", "DescribeInstances"]);

  // The same scan without filters still returns every instance: the pauses change no answer.
  const { Reservations = [] } = await server.ec2().send(new DescribeInstancesCommand({}));
  expect(Reservations.flatMap((reservation) => reservation.Instances ?? [])).toHaveLength(instanceCount);
}, 120_000);
