// V8 settings for a process that idles for days after a busy start. Imported first by the CLI, so
// they apply from the first garbage collection on. Set here rather than as node flags in the
// installed wrapper: a flag a later Node does not know would stop the bridge there, while
// setFlagsFromString only warns.
import { setFlagsFromString } from "node:v8";

// Give the start-up's garbage back once the process has been quiet for 2 s, not 8 (V8's default):
// an idle bridge otherwise holds 2-3 MiB more for its first seconds.
setFlagsFromString("--gc-memory-reducer-start-delay-ms=2000");
