// Profiles the heavy Describe calls on the server's side (bench/profiled-phases.ts): DescribeImages without Owners
// in an account with 10,000 private images (the whole list comes back: EC2 does not paginate without MaxResults),
// the same with 200 wildcard name patterns, and DescribeInstances over 10,000 instances with 200 wildcard patterns.
// `npx tsx bench/profile-images.ts [profile dir]`; compare CPU, not wall time, on a loaded machine.
import { randomUUID } from "node:crypto";
import { profiledServer } from "./profiled-phases.js";
import { queryClient } from "./query-client.js";
import { seedPrivateImages } from "../test/support/seed-images.js";
import { fleetOf } from "./fleets.js";

const dir = process.argv[2] ?? `/tmp/mini-ec2-profile-images-${Date.now()}`;
const fleet = fleetOf(1000);
const profiled = await profiledServer(dir, fleet);
const { phase, server } = profiled;
try {
  await seedPrivateImages(server.databaseUrl!, 10_000);
  const lean = queryClient(server.endpoint);
  // 200 patterns that each cost a scan of the text and match nothing: the most a call may send (EC2's limit).
  const patterns = (name: string) =>
    Object.fromEntries([["Filter.1.Name", name], ...Array.from({ length: 200 }, (_, i) => [`Filter.1.Value.${i + 1}`, `*x${i}*y*z*`])]);
  const all = () => lean.call("DescribeImages", {}, "bench-image-9999");
  await phase("warm-up DescribeImages", 3, all);
  await phase("DescribeImages (no Owners, 10,000 private images)", 10, all);
  await phase("DescribeImages (self, name prefix)", 30, () =>
    lean.call("DescribeImages", { "Owner.1": "self", "Filter.1.Name": "name", "Filter.1.Value.1": "bench-image-12*" }, "bench-image-123"),
  );
  await phase("DescribeImages (200 wildcard name patterns)", 5, () => lean.call("DescribeImages", patterns("name"), "<imagesSet"));

  const images = await lean.call(
    "DescribeImages",
    { "Owner.1": "amazon", "Filter.1.Name": "name", "Filter.1.Value.1": "al2023-ami-2023.6.*-x86_64" },
    "<imageId>",
  );
  const image = /<imageId>([^<]+)</.exec(images)![1]!;
  for (let i = 0; i < 100; i++) {
    await lean.call(
      "RunInstances",
      { ImageId: image, InstanceType: "t3.micro", MinCount: "100", MaxCount: "100", "Placement.AvailabilityZone": "us-east-1a", ClientToken: randomUUID() },
      "<instanceId>",
    );
  }
  await phase("DescribeInstances (200 wildcard instance-id patterns, 10,000 instances)", 5, () =>
    lean.call("DescribeInstances", patterns("instance-id"), "<reservationSet"),
  );
  lean.close();
} finally {
  await profiled.stopAndReport();
}
