// Compiles src/ into dist/ (npm's postinstall, npm start, npm test): one JavaScript file per TypeScript file, the
// same tree, so the paths the code finds its data by (models/, prisma/migrations/, config/, relative to the file)
// hold in both. Node then runs the server and the CLI without a TypeScript loader, which halves their start-up.
// Type checking stays tsc's (npm test); esbuild only strips the types, in well under a second.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
const all = files(src);

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
