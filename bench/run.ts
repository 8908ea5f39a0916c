// `npm run bench -- NAME`: runs bench/NAME.ts, prints a table and writes bench/results/NAME.json as
// { name, metrics, baseline, ratio, at }. Figures are ratios to a baseline measured in the same run,
// because these machines are shared and noisy.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type BenchResult = {
  metrics: Record<string, number>;
  baseline: Record<string, number>;
  ratio: Record<string, number>;
};

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<number> {
  const available = (await readdir(here)).filter((f) => f.endsWith(".bench.ts")).map((f) => f.replace(".bench.ts", ""));
  const name = process.argv[2];
  if (!name || !available.includes(name)) {
    process.stderr.write(`usage: npm run bench -- NAME\navailable: ${available.join(", ")}\n`);
    return 2;
  }
  const bench = (await import(path.join(here, `${name}.bench.ts`))) as { run(): Promise<BenchResult> };
  const result = await bench.run();
  const record = { name, ...result, at: new Date().toISOString() };
  await mkdir(path.join(here, "results"), { recursive: true });
  await writeFile(path.join(here, "results", `${name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  const rows = Object.entries({
    ...prefix("metrics", result.metrics),
    ...prefix("baseline", result.baseline),
    ...prefix("ratio", result.ratio),
  });
  for (const [key, value] of rows) process.stdout.write(`${key.padEnd(40)} ${round(value)}\n`);
  return 0;
}

function prefix(group: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${group}.${k}`, v]));
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString("en") : value.toFixed(3);
}

main().then((code) => process.exit(code));
