// The order the suite's files start in: the slowest first, so that the last file a worker takes is a short one and
// the workers end together. vitest orders by the durations of the previous run when its cache has them, and by file
// size when not: a clean checkout (CI) has no cache, and there the long crash and CLI files, which are small, started
// near the end and ran on alone. The list is of the files measured at 10 s and more in a whole run (2026-11-30, three
// workers, load 5 to 6, after the CLI runner and the cheaper starts), slowest first; files not in it keep vitest's
// order after them. The crash tests lead: each is a chain of server processes started one after the other.
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const slowestFirst = [
  "test/conversion/crash.test.ts",
  "test/workflows/crash.test.ts",
  "test/conversion/random-crash.test.ts",
  "test/readme-walkthrough.test.ts",
  "test/protocol/fuzz.test.ts",
  "test/cli/mini-ec2-commands.test.ts",
  "test/nitro/crash.test.ts",
  "test/network/stack-cli.test.ts",
  "test/console/lessons.test.ts",
  "test/network/vpc-cli.test.ts",
  "test/console/pages.test.ts",
  "test/console/accounts.test.ts",
  "test/host-life/host-crash.test.ts",
  "test/console/matrix.test.ts",
  "test/dry-run/every-operation.test.ts",
  "test/e2e/client-flows.test.ts",
  "test/clients/aws-cli-images.test.ts",
  "test/store/persistence.test.ts",
  "test/api/launch-templates.test.ts",
  "test/conversion/convert.test.ts",
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
