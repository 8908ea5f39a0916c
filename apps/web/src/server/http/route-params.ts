import { z } from "zod";

const ServerId = z.uuid();
export type IdParams = { params: Promise<{ id: string }> };

/** The `[id]` segment when it is a well-formed server id; null otherwise (answered as not found). */
export async function serverIdParam({ params }: IdParams): Promise<string | null> {
  const { id } = await params;
  return ServerId.safeParse(id).success ? id : null;
}
