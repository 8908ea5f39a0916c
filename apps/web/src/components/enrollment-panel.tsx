"use client";

import type { Enrollment } from "./add-server-form";

function CommandBox({ label, command, testId }: { label: string; command: string; testId: string }) {
  return (
    <div>
      <div className="mb-1 flex items-center justify-between text-sm text-slate-600 dark:text-slate-400">
        <span>{label}</span>
        <button
          type="button"
          className="text-indigo-600 hover:underline"
          onClick={() => navigator.clipboard?.writeText(command)}
        >
          Copy
        </button>
      </div>
      <pre
        data-testid={testId}
        className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100"
      >
        {command}
      </pre>
    </div>
  );
}

export function EnrollmentPanel({
  name,
  enrollment,
  onClose,
}: {
  name: string;
  enrollment: Enrollment;
  onClose(): void;
}) {
  return (
    <section
      data-testid="enrollment-panel"
      className="space-y-3 rounded-xl border border-indigo-200 bg-indigo-50 p-5 dark:border-indigo-900 dark:bg-indigo-950/40"
    >
      <div className="flex items-start justify-between">
        <div>
          <h2 className="font-semibold">Enroll “{name}”</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Run this on the server as root. The token works once and expires at{" "}
            {new Date(enrollment.expiresAt).toLocaleTimeString()}; it is not shown again.
          </p>
        </div>
        <button type="button" onClick={onClose} className="text-sm text-slate-500 hover:underline">
          Done
        </button>
      </div>
      <CommandBox label="Install and enroll (one line)" command={enrollment.installCommand} testId="install-command" />
      <CommandBox
        label="Bridge already installed? Enroll only"
        command={enrollment.enrollCommand}
        testId="enroll-command"
      />
    </section>
  );
}
