import { z } from "zod";
import { controlPlane } from "@/server/context";
import { apiError, notFound, requireUser } from "@/server/http/api-response";
import { type IdParams, serverIdParam } from "@/server/http/route-params";

const Minutes = z.coerce
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 60)
  .default(60);

/** Heartbeat samples of the last `minutes` (default 60), oldest first. */
export async function GET(request: Request, route: IdParams): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const id = await serverIdParam(route);
  if (!id) return notFound();
  const minutes = Minutes.safeParse(new URL(request.url).searchParams.get("minutes") ?? undefined);
  if (!minutes.success) return apiError(400, "invalid_request", "minutes must be a whole number from 1 to 10080");
  const samples = await controlPlane().fleet.samples(auth.user.userId, id, minutes.data);
  return samples ? Response.json({ samples }) : notFound();
}
