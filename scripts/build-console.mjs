// Bundles the teaching console (src/console/, a browser app in TypeScript) into dist/console/ with Vite, which
// the server serves at /console/. Everything it needs is in the bundle: no CDN, nothing fetched at run time.
import { build } from "vite";

export async function buildConsole(root, outDir) {
  await build({
    root,
    configFile: false,
    base: "/console/",
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, target: "es2022", reportCompressedSize: false, chunkSizeWarningLimit: 300 },
  });
}
