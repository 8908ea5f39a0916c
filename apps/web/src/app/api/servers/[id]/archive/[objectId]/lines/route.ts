import { LOG_LEVELS } from "@nervesys/core/logs";
import { z } from "zod";
import { controlPlane } from "@/server/context";
import { apiError } from "@/server/http/api-response";
import { type ArchiveObjectParams, archiveFailure, requireArchiveObject } from "@/server/http/archive-params";

const Filter = z.object({
  level: z.enum(LOG_LEVELS).optional(),
  agent: z.string().min(1).max(50).optional(),
  q: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/** The batch decoded, filtered by level, agent and text (case-insensitive), up to `limit` lines. */
export async function GET(request: Request, route: ArchiveObjectParams): Promise<Response> {
  const found = await requireArchiveObject(route);
  if (!found.ok) return found.response;
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ""));
  const filter = Filter.safeParse(params);
  if (!filter.success) {
    const issue = filter.error.issues[0];
    return apiError(400, "invalid_request", `${issue?.path.join(".")}: ${issue?.message}`);
  }
  const { q, ...rest } = filter.data;
  try {
    return Response.json(await controlPlane().archive.view(found.ownerId, found.object, { ...rest, text: q }));
  } catch (error) {
    return archiveFailure(error);
  }
}
