import type { ServerState } from "@nervesys/core/protocol";

const STYLES: Record<ServerState, string> = {
  online: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  offline: "bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  pending: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
};

export function StateBadge({ state }: { state: ServerState }) {
  return (
    <span
      data-testid="server-state"
      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[state]}`}
    >
      {state === "pending" ? "awaiting bridge" : state}
    </span>
  );
}
