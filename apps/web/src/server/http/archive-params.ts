// Resolves the archive routes' `[id]` and `[objectId]` segments to an object of the signed-in
// user's server; anything else (malformed, someone else's, missing) is answered as not found.
import type { ArchiveObject } from "@nervesys/db";
import { controlPlane } from "../context";
import { apiError, requireUser } from "./api-response";
import { serverIdParam } from "./route-params";

export type ArchiveObjectParams = { params: Promise<{ id: string; objectId: string }> };

export async function requireArchiveObject(
  route: ArchiveObjectParams,
): Promise<{ ok: true; ownerId: string; object: ArchiveObject } | { ok: false; response: Response }> {
  const auth = await requireUser();
  if (!auth.ok) return auth;
  const serverId = await serverIdParam(route);
  const { objectId } = await route.params;
  const id = /^[1-9][0-9]{0,15}$/.test(objectId) ? Number(objectId) : null;
  const object = serverId && id ? await controlPlane().archive.find(auth.user.userId, serverId, id) : null;
  if (!object) return { ok: false, response: apiError(404, "not_found", "no such archived batch") };
  return { ok: true, ownerId: auth.user.userId, object };
}

/** The Response for an ArchiveError (storage unreachable, object gone, corrupt batch). */
export function archiveFailure(error: unknown): Response {
  if (error instanceof Error && error.name === "ArchiveError") return apiError(502, "unavailable", error.message);
  throw error;
}
