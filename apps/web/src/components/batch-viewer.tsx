"use client";

import { type ArchivedLogLine, LOG_LEVELS } from "@nervesys/core/logs";
import type { ArchiveObjectSummary } from "@nervesys/core/protocol";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { utcTime } from "@/lib/format";
import { responseError } from "@/lib/response-error";

type BatchView = { total: number; matched: number; lines: ArchivedLogLine[]; truncated: boolean };

const LEVEL_COLOURS: Record<string, string> = {
  INFO: "text-slate-500",
  WARN: "text-amber-600",
  ERROR: "text-red-600",
  CRITICAL: "font-bold text-red-700",
};

/** One archived batch, decoded by the control plane and filtered by level, agent and text. */
export function BatchViewer(props: { serverId: string; object: ArchiveObjectSummary; onClose(): void }) {
  const [filter, setFilter] = useState({ level: "", agent: "", q: "" });
  const [view, setView] = useState<BatchView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (f: typeof filter) => {
      const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== ""));
      const response = await fetch(`/api/servers/${props.serverId}/archive/${props.object.id}/lines?${query}`);
      if (!response.ok) return setError(await responseError(response));
      setError(null);
      setView((await response.json()) as BatchView);
    },
    [props.serverId, props.object.id],
  );

  // A newly opened batch starts unfiltered.
  useEffect(() => {
    void load({ level: "", agent: "", q: "" });
  }, [load]);

  function apply(event: FormEvent) {
    event.preventDefault();
    void load(filter);
  }

  const input = "rounded-md border border-slate-300 px-2 py-1 dark:border-slate-700 dark:bg-slate-950";
  return (
    <div
      data-testid="batch-viewer"
      className="space-y-3 rounded-lg border border-indigo-200 p-3 dark:border-indigo-900"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-mono text-xs">{props.object.key}</h3>
        <button type="button" onClick={props.onClose} className="text-sm text-slate-500 hover:underline">
          Close
        </button>
      </div>
      <form onSubmit={apply} className="flex flex-wrap items-center gap-2 text-sm">
        <select
          aria-label="Level"
          value={filter.level}
          onChange={(e) => setFilter({ ...filter, level: e.target.value })}
          className={input}
        >
          <option value="">all levels</option>
          {LOG_LEVELS.map((level) => (
            <option key={level}>{level}</option>
          ))}
        </select>
        <input
          aria-label="Agent"
          placeholder="agent"
          value={filter.agent}
          onChange={(e) => setFilter({ ...filter, agent: e.target.value })}
          className={input}
        />
        <input
          aria-label="Text"
          placeholder="text"
          value={filter.q}
          onChange={(e) => setFilter({ ...filter, q: e.target.value })}
          className={`${input} flex-1`}
        />
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1 text-white">
          Filter
        </button>
      </form>
      {error && <p className="text-sm text-red-600">{error}</p>}
      {view && (
        <>
          <p data-testid="viewer-summary" className="text-xs text-slate-500">
            {view.matched} of {view.total} lines match{view.truncated ? `; showing the first ${view.lines.length}` : ""}
          </p>
          <div className="max-h-96 overflow-auto font-mono text-xs">
            {view.lines.map((line) => (
              <div
                key={line.seq}
                data-testid="log-line"
                className="whitespace-pre-wrap border-t border-slate-100 py-0.5 dark:border-slate-800"
              >
                <span className="text-slate-400">{utcTime(line.timestamp)}</span>{" "}
                <span className={LEVEL_COLOURS[line.level]}>{line.level}</span>{" "}
                <span className="text-indigo-600">{line.agent}</span>
                {line.action && <span className="text-slate-500"> [{line.action}]</span>} {line.message}
                {line.context && <span className="text-slate-400"> {JSON.stringify(line.context)}</span>}
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}
