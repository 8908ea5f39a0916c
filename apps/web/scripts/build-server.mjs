// Bundles server.ts (and our workspace packages, which ship TypeScript source) into dist/server.js;
// npm packages stay external. Copies the committed migrations beside it.
import { cp } from "node:fs/promises";
import { build } from "esbuild";

await build({
  entryPoints: ["server.ts"],
  outfile: "dist/server.js",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  logLevel: "warning",
  plugins: [
    {
      name: "externalise-npm-packages",
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@nervesys/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
await cp("../../packages/db/drizzle", "dist/drizzle", { recursive: true });
