import { controlPlane } from "@/server/context";
import { type ArchiveObjectParams, archiveFailure, requireArchiveObject } from "@/server/http/archive-params";

/** Downloads one archived batch as it is stored: gzipped NDJSON. */
export async function GET(_request: Request, route: ArchiveObjectParams): Promise<Response> {
  const found = await requireArchiveObject(route);
  if (!found.ok) return found.response;
  try {
    const body = await controlPlane().archive.fetch(found.ownerId, found.object);
    const filename = found.object.key.split("/").pop() ?? "batch.json.gz";
    return new Response(new Uint8Array(body), {
      headers: {
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    return archiveFailure(error);
  }
}
