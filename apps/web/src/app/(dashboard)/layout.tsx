import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { sessionUser } from "@/server/http/request-context";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/sign-in");
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-6 py-3">
          <Link href="/" className="text-lg font-bold tracking-tight">
            Nervesys
          </Link>
          <div className="flex items-center gap-4 text-sm">
            <Link href="/settings" className="text-slate-600 hover:underline dark:text-slate-300">
              Settings
            </Link>
            <span data-testid="user-email" className="text-slate-500">
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
