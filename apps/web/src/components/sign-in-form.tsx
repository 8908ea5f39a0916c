"use client";

import { getApps, initializeApp } from "firebase/app";
import {
  type Auth,
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  initializeAuth,
  inMemoryPersistence,
  signInWithEmailAndPassword,
  signOut,
} from "firebase/auth";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";

export type FirebaseWebConfig = { apiKey: string; projectId: string; authDomain: string; emulatorUrl: string | null };

let auth: Auth | null = null;

function firebaseAuth(config: FirebaseWebConfig): Auth {
  if (auth) return auth;
  const app =
    getApps()[0] ??
    initializeApp({ apiKey: config.apiKey, projectId: config.projectId, authDomain: config.authDomain });
  // The server keeps the session (an httpOnly cookie); the browser need not persist Firebase state.
  auth = initializeAuth(app, { persistence: inMemoryPersistence });
  if (config.emulatorUrl) connectAuthEmulator(auth, config.emulatorUrl, { disableWarnings: true });
  return auth;
}

const FIREBASE_ERRORS: Record<string, string> = {
  "auth/invalid-credential": "Wrong email or password.",
  "auth/invalid-email": "That email address is not valid.",
  "auth/email-already-in-use": "An account with this email exists; sign in instead.",
  "auth/weak-password": "Choose a password of at least 6 characters.",
  "auth/too-many-requests": "Too many attempts; wait a moment and try again.",
  "auth/network-request-failed": "Cannot reach the sign-in service.",
};

export function SignInForm({ firebase, next }: { firebase: FirebaseWebConfig; next: string }) {
  const router = useRouter();
  const [mode, setMode] = useState<"sign-in" | "sign-up">("sign-in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const a = firebaseAuth(firebase);
      const credential =
        mode === "sign-up"
          ? await createUserWithEmailAndPassword(a, email, password)
          : await signInWithEmailAndPassword(a, email, password);
      const response = await fetch("/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ idToken: await credential.user.getIdToken() }),
      });
      await signOut(a);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `sign-in failed (HTTP ${response.status})`);
      }
      router.replace(next);
      router.refresh();
    } catch (e) {
      const code = (e as { code?: string }).code;
      setError((code && FIREBASE_ERRORS[code]) ?? (e as Error).message);
      setBusy(false);
    }
  }

  const signingUp = mode === "sign-up";
  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="text-lg font-semibold">{signingUp ? "Create an account" : "Sign in"}</h2>
      <label className="block text-sm">
        <span className="mb-1 block text-slate-600 dark:text-slate-400">Email</span>
        <input
          name="email"
          type="email"
          required
          autoComplete="email"
          className="w-full rounded-md border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
        />
      </label>
      <label className="block text-sm">
        <span className="mb-1 block text-slate-600 dark:text-slate-400">Password</span>
        <input
          name="password"
          type="password"
          required
          minLength={6}
          autoComplete={signingUp ? "new-password" : "current-password"}
          className="w-full rounded-md border border-slate-300 bg-transparent px-3 py-2 dark:border-slate-700"
        />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {busy ? "Please wait…" : signingUp ? "Sign up" : "Sign in"}
      </button>
      <button
        type="button"
        onClick={() => setMode(signingUp ? "sign-in" : "sign-up")}
        className="w-full text-center text-sm text-indigo-600 hover:underline"
      >
        {signingUp ? "Have an account? Sign in" : "New here? Create an account"}
      </button>
    </form>
  );
}
