// Bundles the bridge into one CommonJS file (an ESM bundle breaks on ws's dynamic require);
// ws's optional native helpers stay external and ws falls back to JavaScript without them.
// better-sqlite3's JavaScript is bundled; its compiled addon is copied beside the bundle, with a
// manifest naming the platform and Node ABI it was built for, so the control plane can serve both
// and an installed bridge needs no node_modules.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const sqliteRoot = path.dirname(require.resolve("better-sqlite3/package.json"));
const sqliteVersion = require("better-sqlite3/package.json").version;

await build({
  entryPoints: ["src/cli.ts"],
  outfile: "dist/nervesys-bridge.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  banner: { js: "#!/usr/bin/env node" },
  external: ["bufferutil", "utf-8-validate"],
  define: { __NERVESYS_BUNDLE__: "true" },
  legalComments: "none",
  logLevel: "warning",
});

await mkdir("dist", { recursive: true });
await copyFile(path.join(sqliteRoot, "build/Release/better_sqlite3.node"), "dist/better_sqlite3.node");
const target = `${process.platform}-${process.arch}-${process.versions.modules}`;
await writeFile("dist/native.txt", `${target} ${sqliteVersion}\n`);
