import { notFound } from "next/navigation";
import { StorageSettingsForm } from "@/components/storage-settings-form";
import { controlPlane } from "@/server/context";
import { sessionUser } from "@/server/http/request-context";

export default async function SettingsPage() {
  const user = await sessionUser();
  if (!user) notFound();
  const storage = await controlPlane().storage.view(user.userId);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section className="space-y-2 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="font-semibold">Log archive storage</h2>
        <p className="text-sm text-slate-500">
          An S3-compatible bucket (Storj) for your servers' logs. The keys are kept encrypted and are only ever sent to
          your own bridges.
        </p>
        <StorageSettingsForm initial={storage} />
      </section>
    </div>
  );
}
