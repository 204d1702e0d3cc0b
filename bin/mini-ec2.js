#!/usr/bin/env node
// The mini-ec2 command (package.json "bin"): registers tsx so the TypeScript sources run as they are, then
// starts the CLI. Works from any directory, through npx and npm link.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { register } = await import("tsx/esm/api");
register();
const { runAsProcess } = await import("../src/cli/main.ts");
await runAsProcess();
