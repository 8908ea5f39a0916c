import { readFile } from "node:fs/promises";
import path from "node:path";
import { controlPlane } from "@/server/context";
import { apiError } from "@/server/http/api-response";

/** "PLATFORM-ARCH-ABI BETTER_SQLITE3_VERSION": which SQLite addon better_sqlite3.node is, for the install script. */
export async function GET(): Promise<Response> {
  try {
    const manifest = await readFile(path.join(path.dirname(controlPlane().bridgeBundlePath), "native.txt"));
    return new Response(manifest, { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
  } catch {
    return apiError(503, "unavailable", "the bridge is not built on this control plane (npm run build)");
  }
}
