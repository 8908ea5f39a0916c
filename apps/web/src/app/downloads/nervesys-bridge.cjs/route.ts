import { readFile } from "node:fs/promises";
import { controlPlane } from "@/server/context";
import { apiError } from "@/server/http/api-response";

/** The bridge bundle the install script downloads. */
export async function GET(): Promise<Response> {
  try {
    const bundle = await readFile(controlPlane().bridgeBundlePath);
    return new Response(bundle, { headers: { "content-type": "application/javascript", "cache-control": "no-store" } });
  } catch {
    return apiError(503, "unavailable", "the bridge bundle is not built on this control plane (npm run build)");
  }
}
