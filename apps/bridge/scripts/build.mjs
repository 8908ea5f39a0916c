// Bundles the bridge into one CommonJS file (an ESM bundle breaks on ws's dynamic require);
// ws's optional native helpers stay external and ws falls back to JavaScript without them.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli.ts"],
  outfile: "dist/nervesys-bridge.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  banner: { js: "#!/usr/bin/env node" },
  external: ["bufferutil", "utf-8-validate"],
  legalComments: "none",
  logLevel: "warning",
});
