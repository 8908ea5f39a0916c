"use client";

import { type FormEvent, useState } from "react";
import { responseError } from "@/lib/response-error";
import type { StorageSettingsView } from "@/server/archive/storage-settings-input";

const FIELDS = [
  { name: "endpoint", label: "Endpoint", placeholder: "https://gateway.storjshare.io" },
  { name: "region", label: "Region", placeholder: "eu1" },
  { name: "bucket", label: "Bucket", placeholder: "my-logs" },
  { name: "accessKeyId", label: "Access key", placeholder: "" },
  { name: "secretAccessKey", label: "Secret key", placeholder: "" },
] as const;

type Draft = Record<(typeof FIELDS)[number]["name"], string>;

/** The user's own bucket for their servers' logs; without one, logs go to the platform archive. */
export function StorageSettingsForm({ initial }: { initial: StorageSettingsView }) {
  const [view, setView] = useState(initial);
  const [draft, setDraft] = useState<Draft>({
    endpoint: initial.configured ? initial.endpoint : "https://gateway.storjshare.io",
    region: initial.configured ? initial.region : "eu1",
    bucket: initial.configured ? initial.bucket : "",
    accessKeyId: "",
    secretAccessKey: "",
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    // Blank credentials on an existing configuration keep the stored ones.
    const body: Partial<Draft> = { ...draft };
    if (view.configured && !body.accessKeyId) delete body.accessKeyId;
    if (view.configured && !body.secretAccessKey) delete body.secretAccessKey;
    const response = await fetch("/api/settings/storage", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) return setMessage({ ok: false, text: await responseError(response) });
    setView((await response.json()).storage);
    setDraft({ ...draft, accessKeyId: "", secretAccessKey: "" });
    setMessage({ ok: true, text: "Saved. Your connected bridges now ship to this bucket." });
  }

  async function remove() {
    const response = await fetch("/api/settings/storage", { method: "DELETE" });
    if (!response.ok) return setMessage({ ok: false, text: await responseError(response) });
    setView({ configured: false });
    setMessage({ ok: true, text: "Removed. Your bridges ship to the platform archive again." });
  }

  return (
    <div className="space-y-4">
      <div data-testid="storage-current" className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800">
        {view.configured ? (
          <>
            <div>
              {view.bucket} at {view.endpoint} ({view.region})
            </div>
            <div className="font-mono">
              access key {view.accessKeyId} · secret {view.secretAccessKey}
            </div>
          </>
        ) : (
          "No bucket of your own: your servers' logs go to the platform archive."
        )}
      </div>
      <form onSubmit={save} className="grid max-w-xl gap-3">
        {FIELDS.map((field) => (
          <label key={field.name} className="grid gap-1 text-sm">
            <span>{field.label}</span>
            <input
              name={field.name}
              type={field.name === "secretAccessKey" ? "password" : "text"}
              autoComplete="off"
              value={draft[field.name]}
              placeholder={
                view.configured && (field.name === "secretAccessKey" || field.name === "accessKeyId")
                  ? "leave blank to keep"
                  : field.placeholder
              }
              onChange={(e) => setDraft({ ...draft, [field.name]: e.target.value })}
              className="rounded-md border border-slate-300 px-3 py-2 dark:border-slate-700 dark:bg-slate-950"
            />
          </label>
        ))}
        <div className="flex gap-2">
          <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 text-sm text-white">
            Save storage
          </button>
          {view.configured && (
            <button
              type="button"
              onClick={remove}
              className="rounded-md border border-red-300 px-4 py-2 text-sm text-red-700"
            >
              Remove
            </button>
          )}
        </div>
      </form>
      {message && (
        <p role="status" className={`text-sm ${message.ok ? "text-emerald-700" : "text-red-600"}`}>
          {message.text}
        </p>
      )}
    </div>
  );
}
