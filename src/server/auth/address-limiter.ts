/**
 * Per-client-address rate limits for what anyone may call without signing in (set-up, sign-up,
 * invites). In memory, per process: the point is to shed a flood before it costs a database
 * round trip or a password hash, so N processes allow N times the rate. Each bucket follows the
 * generic cell rate algorithm: a burst, then one call per interval.
 */
export type Rate = { burst: number; intervalMs: number };

export const PUBLIC_RATES = {
  // Calls that may hash a password (scrypt): set-up, sign-up, accepting an invite.
  password: { burst: 10, intervalMs: 6_000 },
  // Cheap reads the sign-in and invite pages make.
  lookup: { burst: 60, intervalMs: 500 },
} as const satisfies Record<string, Rate>;

export type RateName = keyof typeof PUBLIC_RATES;

const MAX_KEYS = 20_000;

export class AddressLimiter {
  // key → theoretical arrival time (ms); Map order is insertion order, oldest first.
  private readonly tat = new Map<string, number>();

  constructor(private readonly rates: Record<string, Rate> = PUBLIC_RATES, private readonly now: () => number = Date.now) {}

  /** Counts one call; 0 when allowed, else how long to wait (ms), counting nothing. */
  take(rateName: string, address: string): number {
    const rate = this.rates[rateName];
    const key = `${rateName} ${address}`;
    const now = this.now();
    const next = Math.max(this.tat.get(key) ?? 0, now) + rate.intervalMs;
    const wait = next - now - rate.burst * rate.intervalMs;
    if (wait > 0) return wait;
    this.tat.delete(key);
    this.tat.set(key, next);
    if (this.tat.size > MAX_KEYS) this.evict(now);
    return 0;
  }

  /** Drops buckets that have drained; if a flood of addresses keeps it full, the oldest. */
  private evict(now: number): void {
    for (const [key, tat] of this.tat) if (tat <= now) this.tat.delete(key);
    for (const key of this.tat.keys()) {
      if (this.tat.size <= MAX_KEYS * 0.9) break;
      this.tat.delete(key);
    }
  }
}

// One per process: Next's bundle and main.ts each load this module.
const KEY = Symbol.for("cairn.address-limiter");
const holder = globalThis as { [KEY]?: AddressLimiter };
export const publicLimiter: AddressLimiter = (holder[KEY] ??= new AddressLimiter());
