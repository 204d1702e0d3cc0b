// Instances through the AWS CLI on the machine: run, describe, wait, stop, terminate, and the rule engine's
// explanation through `aws mini-ec2`.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { aws } from "../support/aws-cli.js";
import { amazonImageIds } from "../support/images.js";
import { testServer } from "../support/server.js";

const server = testServer();
let images: Awaited<ReturnType<typeof amazonImageIds>>;
beforeAll(async () => {
  images = await amazonImageIds(server.ec2());
});
const cli = (...args: string[]) => aws(server.url, args);

describe("the AWS CLI with instances", () => {
  it("runs, waits for, describes, stops and terminates an instance", async () => {
    const run = await cli(
      "ec2",
      "run-instances",
      "--image-id",
      images.al2Ena,
      "--instance-type",
      "m5.large",
      "--count",
      "2",
      "--placement",
      "AvailabilityZone=us-east-1b",
      "--tag-specifications",
      "ResourceType=instance,Tags=[{Key=Name,Value=cli}]",
    );
    expect(run.code, run.stderr).toBe(0);
    const ids: string[] = run.json.Instances.map((i: { InstanceId: string }) => i.InstanceId);
    expect(ids).toHaveLength(2);
    expect(run.json.Instances[0].State).toEqual({ Code: 0, Name: "pending" });

    const wait = await cli("ec2", "wait", "instance-running", "--instance-ids", ...ids);
    expect(wait.code, wait.stderr).toBe(0);
    const described = await cli("ec2", "describe-instances", "--filters", "Name=tag:Name,Values=cli", "Name=instance-state-name,Values=running");
    expect(described.json.Reservations[0].Instances.map((i: { InstanceId: string }) => i.InstanceId).sort()).toEqual([...ids].sort());
    expect(described.json.Reservations[0].Instances[0].Placement.AvailabilityZone).toBe("us-east-1b");

    const stop = await cli("ec2", "stop-instances", "--instance-ids", ids[0]!);
    expect(stop.json.StoppingInstances[0].CurrentState.Name).toBe("stopping");
    expect((await cli("ec2", "wait", "instance-stopped", "--instance-ids", ids[0]!)).code).toBe(0);
    const terminate = await cli("ec2", "terminate-instances", "--instance-ids", ...ids);
    expect(terminate.json.TerminatingInstances.map((c: { CurrentState: { Name: string } }) => c.CurrentState.Name)).toEqual(["shutting-down", "shutting-down"]);
    expect((await cli("ec2", "wait", "instance-terminated", "--instance-ids", ...ids)).code).toBe(0);
  });

  it("waits for a Windows instance's password and decrypts it with the launch key, as get-password-data --priv-launch-key does", async () => {
    const key = await cli("ec2", "create-key-pair", "--key-name", "cli-windows", "--query", "KeyMaterial", "--output", "text");
    expect(key.code, key.stderr).toBe(0);
    const keyFile = join(mkdtempSync(join(tmpdir(), "mini-ec2-pw-")), "cli-windows.pem");
    writeFileSync(keyFile, key.stdout, { mode: 0o600 });
    const run = await cli("ec2", "run-instances", "--image-id", images.windows, "--instance-type", "m5.large", "--key-name", "cli-windows");
    expect(run.code, run.stderr).toBe(0);
    const id: string = run.json.Instances[0].InstanceId;
    const wait = await cli("ec2", "wait", "password-data-available", "--instance-id", id);
    expect(wait.code, wait.stderr).toBe(0);
    const first = await cli("ec2", "get-password-data", "--instance-id", id, "--priv-launch-key", keyFile);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.PasswordData).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{12,}$/);
    expect((await cli("ec2", "get-password-data", "--instance-id", id, "--priv-launch-key", keyFile)).json.PasswordData).toBe(first.json.PasswordData);
    // A Linux instance has no password: empty, not an error.
    const linux = await cli("ec2", "run-instances", "--image-id", images.al2Ena, "--instance-type", "m5.large");
    const empty = await cli("ec2", "get-password-data", "--instance-id", linux.json.Instances[0].InstanceId);
    expect(empty.json.PasswordData).toBe("");
  });

  it("prints EC2's rule error for a PV image on c5.large, and the rule engine's explanation", async () => {
    const refused = await cli("ec2", "run-instances", "--image-id", images.pvX86, "--instance-type", "c5.large");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "An error occurred (InvalidParameterCombination) when calling the RunInstances operation: Virtualization type 'hvm' is required for instances of type 'c5.large'.",
    );

    const explained = await cli("mini-ec2", "explain-launch", "--image-id", images.pvX86, "--instance-type", "c5.large");
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.json.Launchable).toBe(false);
    const failed = explained.json.Checks.filter((c: { Outcome: string }) => c.Outcome === "failed").map((c: { RuleId: string }) => c.RuleId);
    expect(failed).toEqual(["virtualization-pv-needs-pv-type", "ena-required"]);

    const console = await cli("ec2", "run-instances", "--image-id", images.pvX86, "--instance-type", "m3.medium");
    const id = console.json.Instances[0].InstanceId;
    const output = await cli("ec2", "get-console-output", "--instance-id", id);
    expect(output.json.Output).toContain("PV-GRUB");
  });
});
