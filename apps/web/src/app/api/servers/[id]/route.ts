import { z } from "zod";
import { controlPlane } from "@/server/context";
import { notFound, requireUser } from "@/server/http/api-response";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await requireUser();
  if (!auth.ok) return auth.response;
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) return notFound();
  const server = await controlPlane().fleet.get(auth.user.userId, id);
  return server ? Response.json({ server }) : notFound();
}
