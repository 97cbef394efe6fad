import Link from "next/link";

export default function NotFound() {
  return (
    <div className="empty">
      <h1>Not found</h1>
      <p>There is nothing at this address, or you may not see it.</p>
      <p><Link href="/">Back to all projects</Link></p>
    </div>
  );
}
