import { controlPlane } from "@/server/context";
import { notFound, requireUser } from "@/server/http/api-response";
import { type IdParams, serverIdParam } from "@/server/http/route-params";

export async function GET(_request: Request, route: IdParams): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const id = await serverIdParam(route);
  const server = id ? await controlPlane().fleet.get(auth.user.userId, id) : null;
  return server ? Response.json({ server }) : notFound();
}

/** Removes the server, its history and its bridge's key; a connected bridge is cut off. */
export async function DELETE(_request: Request, route: IdParams): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const id = await serverIdParam(route);
  const removed = id ? await controlPlane().fleet.remove(auth.user.userId, id) : false;
  return removed ? new Response(null, { status: 204 }) : notFound();
}
