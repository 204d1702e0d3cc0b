// Compiles src/ into dist/ (npm's postinstall, npm start, npm test): one JavaScript file per TypeScript file, the
// same tree, so the paths the code finds its data by (models/, prisma/migrations/, config/, relative to the file)
// hold in both. Node then runs the server and the CLI without a TypeScript loader, which halves their start-up.
// Type checking stays tsc's (npm test); esbuild only strips the types, in well under a second.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { buildConsole } from "./build-console.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
// The console's sources are the browser's, bundled by Vite below, not the server's.
const consoleSources = join(src, "console");
const all = files(src).filter((file) => !file.startsWith(consoleSources + sep));

rmSync(dist, { recursive: true, force: true });
buildSync({
  entryPoints: all.filter((file) => file.endsWith(".ts")),
  outdir: dist,
  outbase: src,
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
// Data files and the plain-JavaScript checkpoint worker go along as they are.
for (const file of all.filter((file) => !file.endsWith(".ts"))) {
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(file, target);
}
await buildConsole(consoleSources, join(dist, "console"));
