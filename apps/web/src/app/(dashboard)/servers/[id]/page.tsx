import { notFound } from "next/navigation";
import { ServerView } from "@/components/server-view";
import { controlPlane } from "@/server/context";
import { sessionUser } from "@/server/http/request-context";
import { type IdParams, serverIdParam } from "@/server/http/route-params";

const CHART_WINDOW_MINUTES = 60;

export default async function ServerPage(route: IdParams) {
  const id = await serverIdParam(route);
  const user = await sessionUser();
  if (!user || !id) notFound();
  const { fleet } = controlPlane();
  const [server, samples] = await Promise.all([
    fleet.get(user.userId, id),
    fleet.samples(user.userId, id, CHART_WINDOW_MINUTES),
  ]);
  if (!server || !samples) notFound();
  return <ServerView initialServer={server} initialSamples={samples} windowMinutes={CHART_WINDOW_MINUTES} />;
}
