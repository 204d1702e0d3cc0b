// `npm test`: the type checks and the linter beside the test suite rather than before it. The suite
// spends much of its time waiting on child processes (servers, the AWS CLI, Python), so the checks fill idle cores
// instead of adding their own minutes to the run. Each part's output is printed whole when it ends; the exit code
// is the first failure's. No build here: the suite's global setup builds dist/ (test/support/template-database.ts),
// and a build before it was the same build twice.
import { spawn } from "node:child_process";

function run(command, args, { capture }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit", shell: false });
    let output = "";
    if (capture) {
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
    }
    child.on("close", (code, signal) => resolve({ name: [command, ...args].join(" "), code: code ?? (signal ? 1 : 0), output }));
  });
}

async function inOrder(steps) {
  for (const [command, args] of steps) {
    const result = await run(command, args, { capture: true });
    process.stdout.write(result.output);
    if (result.code !== 0) return result;
  }
  return { code: 0 };
}

const bin = (name) => `node_modules/.bin/${name}`;
const [checks, tests] = await Promise.all([
  inOrder([
    [bin("tsc"), ["--noEmit"]],
    [bin("tsc"), ["--noEmit", "-p", "src/console"]],
    [bin("biome"), ["ci", "."]],
  ]),
  run(bin("vitest"), ["run", ...process.argv.slice(2)], { capture: false }),
]);
if (checks.code !== 0) console.error(`\nfailed: ${checks.name}`);
process.exit(checks.code || tests.code);
