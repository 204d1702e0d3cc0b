#!/usr/bin/env node
// The mini-ec2 command (package.json "bin"): runs the compiled CLI in dist/ (npm install, npm start and npm test
// build it: scripts/build.mjs), or, before any build, the TypeScript sources through tsx. Works from any
// directory, through npx and npm link.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { existsSync } = await import("node:fs");
const compiled = new URL("../dist/cli/main.js", import.meta.url);
let entry = compiled.href;
if (!existsSync(compiled)) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = new URL("../src/cli/main.ts", import.meta.url).href;
}
const { runAsProcess } = await import(entry);
await runAsProcess();
