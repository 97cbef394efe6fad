"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useEffect, useRef } from "react";
import type { Me } from "@/server/services/accounts/me";
import { useTRPC } from "@/trpc/client";

// Paths whose first segment is not a workspace slug.
const RESERVED = new Set(["settings", "setup", "signin", "signup", "invite", "share", "api"]);

/** Brand, workspace switcher and user menu; rendered only for a signed-in person. */
export function TopBar({ initialMe }: { initialMe: Me }) {
  const trpc = useTRPC();
  const { data: me } = useQuery({ ...trpc.account.me.queryOptions(), initialData: initialMe });
  const pathname = usePathname() ?? "/";
  const first = pathname.split("/")[1] ?? "";
  const current = RESERVED.has(first) ? undefined : me.workspaces.find((w) => w.slug === first);

  return (
    <header className="topbar">
      <div className="container topbar-inner">
        <Link href="/" className="brand">Cairn</Link>
        <Menu label={current ? current.name : "Workspaces"} className="ws-switcher" buttonLabel="Switch workspace">
          {me.workspaces.length === 0 && <span className="menu-item muted">No workspaces yet</span>}
          {me.workspaces.map((w) => (
            <Link key={w.id} href={`/${w.slug}`} className={`menu-item${w.id === current?.id ? " active" : ""}`}>
              <span>{w.name}</span>
              <span className="muted mono">{w.role}</span>
            </Link>
          ))}
        </Menu>
        <span className="spacer" />
        <Menu label={me.name || me.email} className="user-menu" buttonLabel="Account" align="right">
          <div className="menu-head">
            <strong>{me.name || "—"}</strong>
            <span className="muted">{me.email}</span>
          </div>
          <Link href="/settings" className="menu-item">Settings</Link>
          <button type="button" className="menu-item" onClick={() => signOut({ callbackUrl: "/signin" })}>Sign out</button>
        </Menu>
      </div>
    </header>
  );
}

/** A <details> dropdown that closes on navigation and on clicks outside it. */
function Menu({ label, buttonLabel, className, align, children }: {
  label: string; buttonLabel: string; className?: string; align?: "right"; children: React.ReactNode;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(e.target as Node)) ref.current.open = false;
    };
    document.addEventListener("click", close);
    return () => document.removeEventListener("click", close);
  }, []);
  return (
    <details ref={ref} className={`menu ${className ?? ""}`}>
      <summary aria-label={buttonLabel} title={buttonLabel}>{label}<span className="caret" aria-hidden>▾</span></summary>
      <div className={`menu-panel${align === "right" ? " menu-right" : ""}`}>{children}</div>
    </details>
  );
}
