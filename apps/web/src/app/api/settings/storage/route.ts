import { StorageSettingsInput } from "@/server/archive/storage-settings-input";
import { controlPlane } from "@/server/context";
import { apiError, readJson, requireUser } from "@/server/http/api-response";

/** The signed-in user's own archive bucket, credentials masked. */
export async function GET(): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  return Response.json({ storage: await controlPlane().storage.view(auth.user.userId) });
}

/** Saves the bucket (sealed in the vault); the user's connected bridges switch to it at once. */
export async function PUT(request: Request): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const body = await readJson(request, StorageSettingsInput);
  if (!body.ok) return body.response;
  try {
    return Response.json({ storage: await controlPlane().storage.save(auth.user.userId, body.data) });
  } catch (error) {
    // By name: the service runs in server.ts's bundle, whose copy of the class is not this one.
    if (error instanceof Error && error.name === "StorageSettingsError") {
      return apiError(400, "invalid_request", error.message);
    }
    throw error;
  }
}

/** Forgets the bucket: bridges go back to the platform archive. */
export async function DELETE(): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const removed = await controlPlane().storage.remove(auth.user.userId);
  return removed ? new Response(null, { status: 204 }) : apiError(404, "not_found", "no storage settings to remove");
}
