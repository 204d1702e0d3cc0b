// The README's walkthrough, run as written: its shell block, with `mini-ec2` on the PATH, against a live server.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { testServer } from "./support/server.js";

const run = promisify(execFile);
const server = testServer();

it("runs the README's walkthrough from a PV image to an HVM instance on m5.large", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
  expect(block, "the README has a walkthrough block").toBeDefined();

  const bin = mkdtempSync(join(tmpdir(), "mini-ec2-bin-"));
  const launcher = new URL("../bin/mini-ec2.js", import.meta.url).pathname;
  writeFileSync(join(bin, "mini-ec2"), `#!/bin/sh\nexec "${process.execPath}" "${launcher}" "$@"\n`);
  chmodSync(join(bin, "mini-ec2"), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    AWS_ENDPOINT_URL: server.url,
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
  const { stdout } = await run("bash", ["-euo", "pipefail", "-c", block!], { env, timeout: 120_000 });

  expect(stdout).toContain("refused, as EC2 would");
  expect(stdout).toMatch(/^FAILED +virtualization-pv-needs-pv-type/m);
  expect(stdout).toMatch(/^i-[0-9a-f]{17}$/m);
  expect(stdout).toMatch(/import-ami-[0-9a-f]+: converting ami-/);
  expect(stdout).toMatch(/^ami-[0-9a-f]{17} is the HVM image\.$/m);
  expect(stdout).toContain("GRUB loading.");
}, 180_000);
