import { readFile } from "node:fs/promises";
import path from "node:path";
import { controlPlane } from "@/server/context";
import { apiError } from "@/server/http/api-response";

/** The bridge's SQLite addon, built for the platform and Node ABI that native.txt names. */
export async function GET(): Promise<Response> {
  try {
    const addon = await readFile(path.join(path.dirname(controlPlane().bridgeBundlePath), "better_sqlite3.node"));
    return new Response(new Uint8Array(addon), {
      headers: { "content-type": "application/octet-stream", "cache-control": "no-store" },
    });
  } catch {
    return apiError(503, "unavailable", "the bridge is not built on this control plane (npm run build)");
  }
}
