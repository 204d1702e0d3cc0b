// The parity tests' one step: the same command through mini-ec2 and through the AWS CLI, both succeeding.
import { expect } from "vitest";
import { aws } from "./aws-cli.js";
import { miniEc2 } from "./cli.js";

/** Both CLIs' output of `args` against `endpoint`, after checking each exited 0 (and mini-ec2 printed no error). */
export async function bothClis(endpoint: string, args: string[]): Promise<{ mine: string; theirs: string }> {
  const [mine, theirs] = await Promise.all([miniEc2(endpoint, args), aws(endpoint, args)]);
  expect(mine.stderr).toBe("");
  expect(theirs.code, theirs.stderr).toBe(0);
  expect(mine.code).toBe(0);
  return { mine: mine.stdout, theirs: theirs.stdout };
}
