"use client";

import type { ArchiveObjectSummary, ServerSummary } from "@nervesys/core/protocol";
import { useCallback, useEffect, useState } from "react";
import { bytes, timeAgo, utcTime } from "@/lib/format";
import { responseError } from "@/lib/response-error";
import { useNow } from "@/lib/use-now";
import { BatchViewer } from "./batch-viewer";

const today = () => new Date().toISOString().slice(0, 10);

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div>
      <div className="text-xs uppercase tracking-wide text-slate-500">{label}</div>
      <div data-testid={testId} className="text-lg font-semibold tabular-nums">
        {value}
      </div>
    </div>
  );
}

/** The server's log pipeline: its buffer, drops and uploads, and the archive by day with a viewer. */
export function ArchiveBrowser({ server }: { server: ServerSummary }) {
  const [day, setDay] = useState(today);
  const [objects, setObjects] = useState<ArchiveObjectSummary[]>([]);
  const [lastUpload, setLastUpload] = useState<ArchiveObjectSummary | null>(null);
  const [open, setOpen] = useState<ArchiveObjectSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const m = server.metrics;

  const load = useCallback(async () => {
    const response = await fetch(`/api/servers/${server.id}/archive?day=${day}`);
    if (!response.ok) return setError(await responseError(response));
    const body = (await response.json()) as {
      objects: ArchiveObjectSummary[];
      lastUpload: ArchiveObjectSummary | null;
    };
    setError(null);
    setObjects(body.objects);
    setLastUpload(body.lastUpload);
  }, [server.id, day]);

  // Reload when the day changes and whenever a heartbeat says the buffer moved.
  const bufferRecords = m?.buffer_records;
  useEffect(() => {
    void bufferRecords;
    void load();
  }, [load, bufferRecords]);

  return (
    <section className="space-y-4 rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="font-semibold">Logs</h2>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Figure
          label="Buffer"
          value={m?.buffer_size_mb != null ? `${m.buffer_size_mb.toFixed(2)} MB` : "—"}
          testId="buffer-size"
        />
        <Figure
          label="Waiting records"
          value={m?.buffer_records?.toLocaleString("en") ?? "—"}
          testId="buffer-records"
        />
        <Figure
          label="Dropped at cap"
          value={m?.buffer_dropped_records?.toLocaleString("en") ?? "—"}
          testId="buffer-dropped"
        />
        <Figure
          label="Last upload"
          value={lastUpload ? timeAgo(lastUpload.uploadedAt, now) : "never"}
          testId="last-upload"
        />
      </div>
      {server.alerts.length > 0 && (
        <ul
          data-testid="server-alerts"
          className="space-y-1 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {server.alerts.map((alert) => (
            <li key={alert}>⚠ {alert}</li>
          ))}
        </ul>
      )}
      <div className="flex items-center gap-3 text-sm">
        <label htmlFor="archive-day" className="text-slate-500">
          Archive for
        </label>
        <input
          id="archive-day"
          type="date"
          value={day}
          max={today()}
          onChange={(e) => e.target.value && setDay(e.target.value)}
          className="rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950"
        />
        <span className="text-slate-500">(UTC)</span>
      </div>
      {error && <p className="text-sm text-red-600">{error}</p>}
      {objects.length === 0 ? (
        <p className="p-4 text-center text-sm text-slate-500">No batches archived on {day}.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">Time (UTC)</th>
              <th>Records</th>
              <th>Size</th>
              <th>Stored in</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {objects.map((o) => (
              <tr key={o.id} data-testid="archive-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 tabular-nums">
                  {utcTime(o.firstTimestamp)}–{utcTime(o.lastTimestamp)}
                </td>
                <td className="tabular-nums">{o.records.toLocaleString("en")}</td>
                <td className="tabular-nums" title={`${bytes(o.rawBytes)} before gzip`}>
                  {bytes(o.bytes)}
                </td>
                <td>{o.location === "owner" ? "your bucket" : "platform archive"}</td>
                <td className="space-x-3 text-right">
                  <button type="button" onClick={() => setOpen(o)} className="text-indigo-600 hover:underline">
                    View
                  </button>
                  <a href={`/api/servers/${server.id}/archive/${o.id}`} className="text-indigo-600 hover:underline">
                    Download
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <BatchViewer serverId={server.id} object={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
