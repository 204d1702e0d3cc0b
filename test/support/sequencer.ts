// The order the suite's files start in: the slowest first, so that the last file a worker takes is a short one and
// the workers end together. vitest orders by the durations of the previous run when its cache has them, and by file
// size when not: a clean checkout (CI) has no cache, and there the long crash and CLI files, which are small, started
// near the end and ran on alone. The list is of the files measured at 10 s and more (2026-11-30, one worker, load 20); files not
// in it keep vitest's order after them.
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const slowestFirst = [
  "test/cli/mini-ec2-commands.test.ts",
  "test/cli/mini-ec2.test.ts",
  "test/conversion/crash.test.ts",
  "test/cli/aws-cli-parity-output.test.ts",
  "test/cli/aws-cli-parity.test.ts",
  "test/workflows/crash.test.ts",
  "test/conversion/random-crash.test.ts",
  "test/store/persistence.test.ts",
  "test/readme-walkthrough.test.ts",
  "test/cli/migrate-to-nitro.test.ts",
  "test/console/accounts.test.ts",
  "test/console/matrix.test.ts",
  "test/host-life/crash.test.ts",
  "test/network/vpc-cli.test.ts",
  "test/cli/guest-command.test.ts",
];

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = slowestFirst.indexOf(relative(this.ctx.config.root, file.moduleId));
      return index === -1 ? slowestFirst.length : index;
    };
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
