import { notFound } from "next/navigation";
import { z } from "zod";
import { ServerView } from "@/components/server-view";
import { controlPlane } from "@/server/context";
import { sessionUser } from "@/server/http/request-context";

const CHART_WINDOW_MINUTES = 60;

export default async function ServerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await sessionUser();
  if (!user || !z.uuid().safeParse(id).success) notFound();
  const { fleet } = controlPlane();
  const [server, samples] = await Promise.all([
    fleet.get(user.userId, id),
    fleet.samples(user.userId, id, CHART_WINDOW_MINUTES),
  ]);
  if (!server || !samples) notFound();
  return <ServerView initialServer={server} initialSamples={samples} windowMinutes={CHART_WINDOW_MINUTES} />;
}
