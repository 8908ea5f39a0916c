import { z } from "zod";
import { toArchiveSummary } from "@/server/archive/archive-summary";
import { controlPlane } from "@/server/context";
import { apiError, notFound, requireUser } from "@/server/http/api-response";
import { type IdParams, serverIdParam } from "@/server/http/route-params";

const Day = z.iso.date();

/** The server's archived batches whose first record falls on `day` (UTC, default today), and its last upload. */
export async function GET(request: Request, route: IdParams): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const id = await serverIdParam(route);
  if (!id || !(await controlPlane().fleet.get(auth.user.userId, id))) return notFound();
  const param = new URL(request.url).searchParams.get("day");
  const day = Day.safeParse(param ?? new Date().toISOString().slice(0, 10));
  if (!day.success) return apiError(400, "invalid_request", "day must be a date, YYYY-MM-DD");
  const { objects, lastUpload } = await controlPlane().archive.listDay(auth.user.userId, id, new Date(day.data));
  return Response.json({
    day: day.data,
    objects: objects.map(toArchiveSummary),
    lastUpload: lastUpload ? toArchiveSummary(lastUpload) : null,
  });
}
