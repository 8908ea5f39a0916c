import { controlPlane } from "@/server/context";
import { enrollmentInstructions } from "@/server/fleet/enrollment-instructions";
import { notFound, requireUser } from "@/server/http/api-response";
import { type IdParams, serverIdParam } from "@/server/http/route-params";

/** A new one-time enrollment token for the server: to enroll it after a token expired, or again. */
export async function POST(request: Request, route: IdParams): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const id = await serverIdParam(route);
  const cp = controlPlane();
  const issued = id ? await cp.fleet.newEnrollmentToken(auth.user.userId, id) : null;
  if (!issued) return notFound();
  const enrollment = enrollmentInstructions(cp.publicUrl(request.headers.get("host")), issued);
  return Response.json({ enrollment }, { status: 201 });
}
