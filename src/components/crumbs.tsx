import Link from "next/link";
import { Fragment } from "react";

export type Crumb = { label: string; href?: string };

/** "workspace / project / …": links for every step but the page itself. */
export function Crumbs({ items }: { items: Crumb[] }) {
  return (
    <nav className="crumbs">
      {items.map((c, i) => (
        <Fragment key={i}>
          {i > 0 && <span className="sep">/</span>}
          {c.href ? <Link href={c.href}>{c.label}</Link> : <span>{c.label}</span>}
        </Fragment>
      ))}
    </nav>
  );
}
