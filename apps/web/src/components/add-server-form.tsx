"use client";

import type { ServerSummary } from "@nervesys/core/protocol";
import { type FormEvent, useState } from "react";

export type Enrollment = { token: string; expiresAt: string; installCommand: string; enrollCommand: string };

export function AddServerForm({ onAdded }: { onAdded(server: ServerSummary, enrollment: Enrollment): void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    setError(null);
    const response = await fetch("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: new FormData(form).get("name") }),
    });
    const body = await response.json().catch(() => null);
    setBusy(false);
    if (!response.ok) {
      setError(body?.error?.message ?? `could not add the server (HTTP ${response.status})`);
      return;
    }
    form.reset();
    onAdded(body.server, body.enrollment);
  }

  return (
    <form onSubmit={submit} className="flex flex-wrap items-start gap-2">
      <input
        name="name"
        required
        maxLength={100}
        placeholder="Server name, e.g. web-01"
        aria-label="Server name"
        className="min-w-64 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
      />
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        Add server
      </button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-600">
          {error}
        </p>
      )}
    </form>
  );
}
