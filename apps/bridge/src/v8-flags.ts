// V8 settings for a process that idles for days between short bursts of work. Imported first by
// the CLI, so they apply from the first garbage collection on (and by the benchmarks that measure
// bridge code in their own process, so they measure it as it runs). Set here rather than as node
// flags: a flag a later Node does not know would stop the bridge, while setFlagsFromString only
// warns. (The installed wrapper passes the two that must act before this file runs, after checking
// that node takes them: install/install-bridge.sh.)
import { setFlagsFromString } from "node:v8";

// Give the start-up's garbage back once the process has been quiet for 2 s, not 8 (V8's default):
// an idle bridge otherwise holds 2-3 MiB more for its first seconds.
setFlagsFromString("--gc-memory-reducer-start-delay-ms=2000");

// JavaScript runs in V8's interpreter only, with no compiled tiers, and the heap favours size over
// speed. The bridge's heavy lifting is native (SQLite, zlib, TLS, regular expressions, which stay
// compiled), so this costs about a third of peak ingest and a quarter of pipeline throughput, both
// still far beyond what a server logs; but the optimising compiler no longer pages in after a burst
// of work (or a few hours of heartbeats): a bridge that has worked idles at ~53 MiB instead of ~65,
// and a fresh one under 50. `npm run bench -- bridge-footprint` measures both.
setFlagsFromString("--max-opt=0");
setFlagsFromString("--no-sparkplug");
setFlagsFromString("--optimize-for-size");
// Node's own start-up runs before this file and compiles baseline code (~0.5 MiB, which the
// wrapper's --no-sparkplug avoids): where it ran, let that code go once unused.
setFlagsFromString("--flush-baseline-code");
