// Profiles the instance scenarios of bench/instances.ts on the server's side: one mini-ec2 (10,000 servers) run
// with --cpu-prof, driven by the lean client through RunInstances, then DescribeInstances at 10,000 instances
// (first page of 100, and the tag filter). Prints each phase's server CPU per request (the request log's cpuMs)
// and, from the profile sliced to the phase's window, the functions with the most self time.
// `npx tsx bench/profile-instances.ts [profile dir]`; the machine's load matters less than for wall-clock rows.
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { profiledServer } from "./profiled-phases.js";
import { seedSubnetWithGroup } from "./network-seed.js";
import { queryClient } from "./query-client.js";
import { fleetOf } from "./fleets.js";

const dir = process.argv[2] ?? `/tmp/mini-ec2-profile-${Date.now()}`;

const fleet = fleetOf(10_000);

const profiled = await profiledServer(dir, fleet);
const { phase, server } = profiled;
try {
  const lean = queryClient(server.endpoint);
  const images = await lean.call(
    "DescribeImages",
    { "Owner.1": "amazon", "Filter.1.Name": "name", "Filter.1.Value.1": "amzn2-ami-hvm-2.0.20190313-x86_64-gp2" },
    "<imageId>",
  );
  const image = /<imageId>([^<]+)</.exec(images)![1]!;
  // The fleet of 10,000 instances outgrows a default /20 subnet (4,091 addresses): one /16 subnet, as bench/instances.ts.
  const { subnetId, groupId } = await seedSubnetWithGroup(server.databaseUrl!);
  const run = (extra: Record<string, string> = {}) =>
    lean.call(
      "RunInstances",
      {
        ImageId: image,
        InstanceType: "t3.micro",
        MinCount: "1",
        MaxCount: "1",
        "Placement.AvailabilityZone": "us-east-1a",
        ClientToken: randomUUID(),
        SubnetId: subnetId,
        "SecurityGroupId.1": groupId,
        ...extra,
      },
      "<instanceId>",
    );
  await phase("warm-up RunInstances", 1000, run);
  await phase("RunInstances", 1000, run);
  for (let i = 0; i < 100; i++) {
    const team = i % 10 === 0 ? "blue" : "red";
    await run({
      MinCount: "100",
      MaxCount: "100",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "team",
      "TagSpecification.1.Tag.1.Value": team,
    });
  }
  const describe = () => lean.call("DescribeInstances", { MaxResults: "100" }, "<reservationSet>");
  const describeTag = () => lean.call("DescribeInstances", { MaxResults: "100", "Filter.1.Name": "tag:team", "Filter.1.Value.1": "blue" }, "<reservationSet>");
  await phase("warm-up DescribeInstances", 100, async () => {
    await describe();
    await describeTag();
  });
  await phase("DescribeInstances (first 100)", 300, describe);
  await phase("DescribeInstances (tag filter, first 100)", 300, describeTag);
  lean.close();
  // The database, for EXPLAIN QUERY PLAN on the same rows (its write-ahead log too: the server has not checkpointed).
  const dbPath = server.databaseUrl!.replace(/^file:/, "");
  for (const suffix of ["", "-wal"]) if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(dir, `bench.db${suffix}`));
} finally {
  await profiled.stopAndReport();
}
