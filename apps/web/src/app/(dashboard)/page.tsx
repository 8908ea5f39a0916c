import { FleetView } from "@/components/fleet-view";
import { controlPlane } from "@/server/context";
import { sessionUser } from "@/server/http/request-context";

export default async function FleetPage() {
  const user = await sessionUser();
  const servers = user ? await controlPlane().fleet.list(user.userId) : [];
  return <FleetView initialServers={servers} />;
}
