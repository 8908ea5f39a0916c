import { readFile } from "node:fs/promises";
import path from "node:path";
import { controlPlane } from "@/server/context";
import { apiError } from "@/server/http/api-response";

/** What the install script downloads: the bridge's files, all built beside its bundle. */
const FILES: Record<string, string> = {
  "nervesys-bridge.cjs": "application/javascript",
  "nervesys-bridge-s3.cjs": "application/javascript",
  // better-sqlite3's addon, built for the platform and Node ABI that native.txt names
  "better_sqlite3.node": "application/octet-stream",
  "native.txt": "text/plain",
};

export async function GET(_request: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await params;
  const type = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (!type) return apiError(404, "not_found", "no such download");
  try {
    const body = await readFile(path.join(path.dirname(controlPlane().bridgeBundlePath), file));
    return new Response(new Uint8Array(body), { headers: { "content-type": type, "cache-control": "no-store" } });
  } catch {
    return apiError(503, "unavailable", "the bridge is not built on this control plane (npm run build)");
  }
}
