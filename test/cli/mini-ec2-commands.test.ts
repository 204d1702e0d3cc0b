// The mini-ec2 command as a user runs it (continued from mini-ec2.test.ts, split so the two files run on two
// workers): output formats, waiters, and the commands of its own (matrix, fleet, migrate, explain, serve).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, miniEc2 } from "../support/cli.js";
import { copyTemplateDatabase, testServer } from "../support/server.js";

const server = testServer();

const cli = (...args: string[]) => miniEc2(server.url, args);

describe("output", () => {
  it("prints yaml, and follows every page unless --no-paginate", async () => {
    const [yaml, all, onePage] = await Promise.all([
      cli("ec2", "describe-regions", "--region-names", "us-east-1", "--output", "yaml"),
      cli("ec2", "describe-instance-types", "--filters", "Name=current-generation,Values=false", "--query", "length(InstanceTypes)"),
      cli(
        "ec2",
        "describe-instance-types",
        "--filters",
        "Name=current-generation,Values=false",
        "--no-paginate",
        "--query",
        "[length(InstanceTypes), NextToken != null]",
      ),
    ]);
    expect(yaml.stdout).toBe("Regions:\n  - OptInStatus: opt-in-not-required\n    RegionName: us-east-1\n    Endpoint: ec2.us-east-1.amazonaws.com\n");
    expect(Number(all.stdout)).toBeGreaterThan(100);
    expect(JSON.parse(onePage.stdout)).toEqual([100, true]);
  });
});

describe("waiters", () => {
  it("returns once the condition holds, and exits 255 when it cannot", async () => {
    const images = JSON.parse(
      (await cli("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=image-type,Values=machine", "--max-items", "1")).stdout,
    );
    const [available, missing, unknown] = await Promise.all([
      cli("ec2", "wait", "image-available", "--image-ids", images.Images[0].ImageId),
      cli("ec2", "wait", "image-available", "--image-ids", "ami-0123456789abcdef0"),
      cli("ec2", "wait", "instance-sleeping"),
    ]);
    expect(available.code, available.stderr).toBe(0);
    expect(available.stdout).toBe("");
    expect(missing.stderr).toContain("Waiter ImageAvailable failed: An error occurred (InvalidAMIID.NotFound)");
    expect(missing.code).toBe(255);
    expect(unknown.stderr).toContain("instance-running");
    expect(unknown.code).toBe(252);
  });
});

describe("matrix", () => {
  it("prints the catalog's support matrix, filtered with describe-instance-types' flags", async () => {
    const [table, json] = await Promise.all([
      cli("matrix", "--instance-types", "m5.large", "t1.micro", "m5.metal", "p3.2xlarge"),
      cli("matrix", "--filters", "Name=supported-virtualization-type,Values=paravirtual", "--output", "json"),
    ]);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^TYPE +VIRTUALIZATION +ARCHITECTURES +ENA +GPU +NVME +BOOT MODES +HYPERVISOR$/);
    expect(lines.slice(1, 5).map((line) => line.split(/ +/)[0])).toEqual(["m5.large", "m5.metal", "p3.2xlarge", "t1.micro"]);
    expect(lines.find((line) => line.startsWith("t1.micro"))).toMatch(/hvm,paravirtual +i386,x86_64 +unsupported +- +unsupported +legacy-bios +xen/);
    expect(lines.find((line) => line.startsWith("p3.2xlarge"))).toContain("1x NVIDIA V100");
    expect(lines.find((line) => line.startsWith("m5.metal"))).toContain("none (metal)");
    const rows = JSON.parse(json.stdout).InstanceTypes as Array<{ Virtualization: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.Virtualization.includes("paravirtual"))).toBe(true);
  });
});

describe("fleet", () => {
  it("draws the zone's servers with the caller's instances on them", async () => {
    const image = JSON.parse((await cli("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=amzn2-ami-hvm-*")).stdout).Images[0]
      .ImageId;
    const id = JSON.parse(
      (await cli("ec2", "run-instances", "--image-id", image, "--instance-type", "m5.xlarge", "--placement", "AvailabilityZone=us-east-1c")).stdout,
    ).Instances[0].InstanceId;
    const drawn = await cli("fleet", "--availability-zone", "us-east-1c");
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stdout.split("\n")[0]).toBe("us-east-1c");
    const line = drawn.stdout.split("\n").find((l) => l.includes(id))!;
    expect(line).toMatch(/^  srv-use1-az\d-nitro-x86-\d{4} +nitro \[#{1}\.{19}\]   4\/96 vCPU 16\/768 GiB  i-[0-9a-f]{17} \(m5\.xlarge\)$/);
    expect(drawn.stdout).toMatch(/xen-gen1-0001 +xen +\[\.{20}\]   0\/32 vCPU/);
  });

  it("shows a server under maintenance, drained with the generic extension command", async () => {
    const servers = JSON.parse((await cli("mini-ec2", "describe-fleet", "--availability-zone", "us-east-1d", "--host-class", "xen-gen1")).stdout).Servers;
    const serverId = servers[0].ServerId;
    const drained = await cli("mini-ec2", "start-server-maintenance", "--server-id", serverId);
    expect(drained.code, drained.stderr).toBe(0);
    expect(JSON.parse(drained.stdout)).toMatchObject({ ServerId: serverId, State: "under-maintenance", GuestsMigrating: 0, GuestsScheduled: 0 });
    const drawn = await cli("fleet", "--availability-zone", "us-east-1d");
    expect(drawn.stdout.split("\n").find((l) => l.includes(serverId))).toMatch(/0\/32 vCPU 0\/256 GiB under-maintenance$/);
  });
});

describe("migrate", () => {
  it("moves an instance live and prints the rounds and the totals", async () => {
    const image = JSON.parse((await cli("ec2", "describe-images", "--owners", "amazon", "--filters", "Name=name,Values=amzn2-ami-hvm-*")).stdout).Images[0]
      .ImageId;
    const id = JSON.parse(
      (await cli("ec2", "run-instances", "--image-id", image, "--instance-type", "m5.large", "--placement", "AvailabilityZone=us-east-1b")).stdout,
    ).Instances[0].InstanceId;
    const moved = await cli("migrate", "--instance-id", id, "--strategy", "pre-copy");
    expect(moved.code, moved.stderr).toBe(0);
    const lines = moved.stdout.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^mig-[0-9a-f]{17}: ${id} srv-\\S+ -> srv-\\S+ \\(pre-copy\\)$`));
    // Round 1 sends all of the 8 GiB guest's pages while it runs; the last round is the pause.
    expect(lines[1]).toMatch(/^  round  1  live    sent    2097152 pages/);
    expect(lines.filter((l) => l.includes(" paused "))).toHaveLength(1);
    expect(lines.at(-2)).toMatch(/^total [\d.]+ (ms|s), downtime [\d.]+ ms, [\d.]+ MiB sent, ended by converged$/);
  });
});

describe("explain", () => {
  it("prints the rule engine's verdict, one line per rule, with the fix for what failed", async () => {
    const pv = JSON.parse(
      (
        await cli(
          "ec2",
          "describe-images",
          "--owners",
          "amazon",
          "--filters",
          "Name=virtualization-type,Values=paravirtual",
          "Name=image-type,Values=machine",
          "Name=architecture,Values=x86_64",
          "--max-items",
          "1",
        )
      ).stdout,
    ).Images[0].ImageId;
    const [nitro, firstGeneration] = await Promise.all([
      cli("explain", "--image-id", pv, "--instance-type", "c5.large"),
      cli("explain", "--image-id", pv, "--instance-type", "m1.small"),
    ]);
    expect(nitro.code, nitro.stderr).toBe(0);
    expect(nitro.stdout).toMatch(/^FAILED +virtualization-pv-needs-pv-type +.*paravirtual, and c5\.large supports hvm only\.$/m);
    expect(nitro.stdout).toMatch(/^ +fix: Choose a Xen type that supports paravirtual/m);
    expect(nitro.stdout).toMatch(/^PASSED +architecture-match /m);
    expect(nitro.stdout).toContain(`${pv} does not launch on c5.large:`);
    expect(firstGeneration.stdout).not.toMatch(/^FAILED/m);
    expect(firstGeneration.stdout).toContain(`${pv} launches on m1.small.`);
  });
});

describe("serve", () => {
  it("starts the server, which answers the CLI, and stops on SIGTERM", async () => {
    copyTemplateDatabase(join(server.dir, "serve.db"));
    const child = spawn(process.execPath, ["bin/mini-ec2.js", "serve"], {
      cwd: new URL("../../", import.meta.url).pathname,
      env: cleanEnv({ PORT: "0", DATABASE_URL: `file:${join(server.dir, "serve.db")}`, LOG_LEVEL: "silent" }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    while (!stderr.includes("listening on") && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    // The system picked the port (PORT=0): the server says which.
    const result = await miniEc2(/listening on (\S+)/.exec(stderr)![1]!, [
      "ec2",
      "describe-regions",
      "--region-names",
      "us-east-1",
      "--query",
      "Regions[0].RegionName",
      "--output",
      "text",
    ]);
    expect(result.stdout).toBe("us-east-1\n");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
