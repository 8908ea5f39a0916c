import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { controlPlane } from "@/server/context";
import { sessionUser } from "@/server/http/request-context";

function safeNext(next: string | string[] | undefined): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next);
  if (await sessionUser()) redirect(next);
  const auth = controlPlane().authConfig;
  const firebase =
    auth.mode === "emulator"
      ? {
          apiKey: auth.apiKey,
          projectId: auth.projectId,
          authDomain: `${auth.projectId}.firebaseapp.com`,
          emulatorUrl: `http://${auth.emulatorHost}`,
        }
      : { apiKey: auth.apiKey, projectId: auth.projectId, authDomain: auth.authDomain, emulatorUrl: null };
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-center text-3xl font-bold tracking-tight">Nervesys</h1>
        <p className="mb-8 text-center text-sm text-slate-500">Your fleet, one control plane.</p>
        <SignInForm firebase={firebase} next={next} />
        {firebase.emulatorUrl && (
          <p className="mt-6 text-center text-xs text-amber-600">
            Local mode: accounts live in the Firebase Auth Emulator. Sign up with any email and a 6+ character password.
          </p>
        )}
      </div>
    </main>
  );
}
