import { ServerName } from "@nervesys/core/protocol";
import { z } from "zod";
import { controlPlane } from "@/server/context";
import { enrollmentCommands } from "@/server/fleet/enrollment-commands";
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
  const created = await cp.fleet.add(auth.user.userId, body.data.name);
  const baseUrl = cp.publicUrl(request.headers.get("host"));
  return Response.json(
    {
      server: created.server,
      enrollment: { token: created.token, expiresAt: created.expiresAt, ...enrollmentCommands(baseUrl, created.token) },
    },
    { status: 201 },
  );
}
