import { ServerName } from "@nervesys/core/protocol";
import { z } from "zod";
import { controlPlane } from "@/server/context";
import { enrollmentInstructions } from "@/server/fleet/enrollment-instructions";
import { readJson, requireUser } from "@/server/http/api-response";

export async function GET(): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  return Response.json({ servers: await controlPlane().fleet.list(auth.user.userId) });
}

const AddServer = z.object({ name: ServerName });

/** Adds a server; the answer carries its one-time enrollment token and the commands that use it. */
export async function POST(request: Request): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const body = await readJson(request, AddServer);
  if (!body.ok) return body.response;
  const cp = controlPlane();
  const { server, ...issued } = await cp.fleet.add(auth.user.userId, body.data.name);
  const enrollment = enrollmentInstructions(cp.publicUrl(request.headers.get("host")), issued);
  return Response.json({ server, enrollment }, { status: 201 });
}
