// Bundles the bridge into CommonJS (an ESM bundle breaks on ws's dynamic require); ws's optional
// native helpers stay external and ws falls back to JavaScript without them.
// - dist/nervesys-bridge.cjs: the bridge. Whitespace is minified: it keeps the file ASCII, so V8
//   holds its source as one byte per character (a few non-ASCII comments doubled it), and names
//   and stack traces stay readable.
// - dist/nervesys-bridge-s3.cjs: the S3 archive store with the AWS SDK, most of the code, loaded
//   only by bridges that ship to a bucket of their own (src/pipeline/s3-archive.ts).
// - better-sqlite3's JavaScript is bundled; its compiled addon is copied beside the bundle, with a
//   manifest naming the platform and Node ABI it was built for, so the control plane can serve
//   both and an installed bridge needs no node_modules.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const sqliteRoot = path.dirname(require.resolve("better-sqlite3/package.json"));
const sqliteVersion = require("better-sqlite3/package.json").version;
const S3_BUNDLE = "nervesys-bridge-s3.cjs";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  external: ["bufferutil", "utf-8-validate"],
  define: { __NERVESYS_BUNDLE__: "true" },
  minifyWhitespace: true,
  charset: "ascii",
  legalComments: "none",
  logLevel: "warning",
};

const s3AsSeparateFile = {
  name: "s3-archive-as-separate-file",
  setup(b) {
    b.onResolve({ filter: /\/s3-archive$/ }, () => ({ path: `./${S3_BUNDLE}`, external: true }));
  },
};

await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/nervesys-bridge.cjs",
  banner: { js: "#!/usr/bin/env node" },
  plugins: [s3AsSeparateFile],
});
await build({ ...common, entryPoints: ["src/pipeline/s3-archive.ts"], outfile: `dist/${S3_BUNDLE}` });

await mkdir("dist", { recursive: true });
await copyFile(path.join(sqliteRoot, "build/Release/better_sqlite3.node"), "dist/better_sqlite3.node");
const target = `${process.platform}-${process.arch}-${process.versions.modules}`;
await writeFile("dist/native.txt", `${target} ${sqliteVersion}\n`);
