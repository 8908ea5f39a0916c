"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { responseError } from "@/lib/response-error";
import type { Enrollment } from "./add-server-form";
import { EnrollmentPanel } from "./enrollment-panel";

/** Enroll again with a fresh token, or remove the server with its history and bridge key. */
export function ServerActions({ serverId, name }: { serverId: string; name: string }) {
  const router = useRouter();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function newToken() {
    setError(null);
    const response = await fetch(`/api/servers/${serverId}/enrollment`, { method: "POST" });
    if (!response.ok) return setError(await responseError(response));
    setEnrollment((await response.json()).enrollment);
  }

  async function remove() {
    if (!window.confirm(`Remove “${name}”? Its history is deleted and its bridge is cut off.`)) return;
    setError(null);
    const response = await fetch(`/api/servers/${serverId}`, { method: "DELETE" });
    if (!response.ok) return setError(await responseError(response));
    router.replace("/");
    router.refresh();
  }

  const button = "rounded-md border px-3 py-1.5 text-sm";
  return (
    <div className="space-y-3">
      <div className="flex gap-2">
        <button
          type="button"
          onClick={newToken}
          className={`${button} border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}
        >
          New enrollment token
        </button>
        <button
          type="button"
          onClick={remove}
          className={`${button} border-red-300 text-red-700 hover:bg-red-50 dark:border-red-900 dark:text-red-400 dark:hover:bg-red-950`}
        >
          Remove server
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      {enrollment && <EnrollmentPanel name={name} enrollment={enrollment} onClose={() => setEnrollment(null)} />}
    </div>
  );
}
