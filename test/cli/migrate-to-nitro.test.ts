// `mini-ec2 migrate-to-nitro` as a user runs it: a child process against a live server, printing the pre-flight and
// then each step as the migration advances, ending with the clone and the golden AMI; a failed check exits 255.
import { describe, expect, it } from "vitest";
import { miniEc2 } from "../support/cli.js";
import { testServer } from "../support/server.js";

const server = testServer();
const cli = (...args: string[]) => miniEc2(server.url, args);

async function launch(imageName: string, instanceType: string): Promise<string> {
  const images = JSON.parse((await cli("ec2", "describe-images", "--owners", "amazon", "--filters", `Name=name,Values=${imageName}`)).stdout).Images;
  const launched = await cli(
    "ec2",
    "run-instances",
    "--image-id",
    images[0].ImageId,
    "--instance-type",
    instanceType,
    "--placement",
    "AvailabilityZone=us-east-1a",
  );
  return JSON.parse(launched.stdout).Instances[0].InstanceId;
}

describe("mini-ec2 migrate-to-nitro", () => {
  it("prints the checks and each step, and ends with the clone on m5.large and the golden AMI", async () => {
    const instanceId = await launch("amzn-ami-hvm-2016.03.0.x86_64-gp2", "t2.micro");
    const result = await cli("migrate-to-nitro", "--instance-id", instanceId, "--target-instance-type", "m5.large");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^nitro-mig-[0-9a-f]{17}: FullMigration of ${instanceId} to m5.large$`));
    expect(result.stdout).toContain("  passed  checkIfRootVolumeIsLVM\n");
    expect(result.stdout).toContain("  repair  nvme-in-initramfs: The kernel has no nvme driver");
    expect(result.stdout).toMatch(/^\[ 1\/13\] preliminary-checks +succeeded *$/m);
    expect(result.stdout).toMatch(/^\[ 3\/13\] launch-clone +succeeded +i-[0-9a-f]{17}$/m);
    expect(result.stdout).toMatch(/^\[13\/13\] create-golden-ami +succeeded +ami-[0-9a-f]{17}$/m);
    expect(lines.at(-2)).toMatch(/^i-[0-9a-f]{17} runs on m5\.large; ami-[0-9a-f]{17} is the golden AMI\.$/);
  });

  it("with --operation-type CheckOnly on an LVM root, stops at the checks with the runbook's reason", async () => {
    const instanceId = await launch("rhel-6.5-x86_64-pv-lvm-ebs", "m3.medium");
    const result = await cli("migrate-to-nitro", "--instance-id", instanceId, "--target-instance-type", "m5.large", "--operation-type", "CheckOnly");
    expect(result.code).toBe(255);
    expect(result.stdout).toMatch(/^\[1\/1\] preliminary-checks +failed +checkIfRootVolumeIsLVM: The root filesystem of i-[0-9a-f]{17} is on LVM/m);
    expect(result.stderr).toContain("The migration failed: step 'preliminary-checks' failed after 1 attempt: checkIfRootVolumeIsLVM:");
    expect(result.stderr).toContain("FullMigration is not supported with LVM root volumes");
  });
});
