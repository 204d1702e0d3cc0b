// The Xen to Nitro migration under load: whole FullMigrations (a Xen HVM instance launched, then migrated to
// m5.large: clone AMI, clone, repairs, type change, start, status checks, golden AMI) 20 at a time at zero delay,
// and the CheckOnly pre-flight StartNitroMigration answers with (the runbook's checks, read from one instance).
import { type EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { extension } from "../test/support/extensions.js";
import type { Scenario } from "./harness.js";
import { imageNamed } from "./sdk-client.js";

const xenHvmImage = "amzn-ami-hvm-2016.03.0.x86_64-gp2";

export const fullMigrationScenarioName = "Xen to Nitro FullMigration, launch to golden AMI (20 concurrent runs)";

export function nitroMigrationScenarios(endpoint: string, ec2: EC2Client): Scenario[] {
  let imageId: string | undefined;
  let checkedInstance: string | undefined;
  // In a zone that offers m5.large: the check refuses a Xen instance in us-east-1e, which does not.
  const launchXen = async () => {
    imageId ??= await imageNamed(ec2, xenHvmImage);
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: imageId, InstanceType: "t2.micro", MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: "us-east-1a" } }),
    );
    return Instances![0]!.InstanceId!;
  };
  return [
    {
      name: "StartNitroMigration CheckOnly (the pre-flight report)",
      calls: 200,
      concurrency: 1,
      call: async () => {
        checkedInstance ??= await launchXen();
        await extension(endpoint, "StartNitroMigration", { InstanceId: checkedInstance, TargetInstanceType: "m5.large", OperationType: "CheckOnly" });
      },
    },
    {
      // One call is a whole migration: launch a Xen instance, start it, poll DescribeNitroMigrations until it ends.
      // calls/s × 60 is migrations completed per minute.
      name: fullMigrationScenarioName,
      calls: 60,
      concurrency: 20,
      warmup: 2,
      call: async () => {
        const instanceId = await launchXen();
        const { migrationTaskId } = await extension(endpoint, "StartNitroMigration", {
          InstanceId: instanceId,
          TargetInstanceType: "m5.large",
          OperationType: "FullMigration",
        });
        for (;;) {
          const { nitroMigrationSet } = await extension(endpoint, "DescribeNitroMigrations", { "MigrationTaskId.1": migrationTaskId });
          const migration = ([] as any[]).concat(nitroMigrationSet.item)[0];
          if (migration.state === "succeeded") return;
          if (migration.state !== "queued" && migration.state !== "running")
            throw new Error(`migration ${migrationTaskId} ended ${migration.state}: ${migration.failureReason}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
    },
  ];
}
