import { When } from "./when";

type KeyInfo = { name: string; prefix: string; createdAt: string; lastUsedAt: string | null; expiresAt: string | null };

/** Name, prefix, created, last used and expiry cells, the same for personal and service-account keys. */
export function KeyCells({ k }: { k: KeyInfo }) {
  return (
    <>
      <td>{k.name}</td>
      <td className="mono">{`${k.prefix}…`}</td>
      <td><When iso={k.createdAt} /></td>
      <td><When iso={k.lastUsedAt} empty="never" /></td>
      <td><When iso={k.expiresAt} empty="never" /></td>
    </>
  );
}
