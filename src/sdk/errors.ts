/** Data the server refused: it was dropped and will not be retried. */
export type SendFailure = {
  /** HTTP status; 0 when the server never answered. */
  status: number;
  code: string;
  message: string;
  /** What was lost, e.g. `append "train/loss" ×1200 (steps 0–1199)`. */
  what: string;
};

/** A call the SDK makes on your behalf (create run, finish) failed for good or gave up retrying. */
export class CairnHttpError extends Error {
  /** `detail` is the server's message, or why there was no answer. */
  constructor(readonly status: number, readonly code: string, readonly detail: string, what: string) {
    super(`Cairn: ${what}: ${status === 0 ? "" : `${status} `}${detail}`);
    this.name = "CairnHttpError";
  }
}

/**
 * Rejection of flush()/finish(): some data was refused by the server (`failures`), or is
 * still queued because the server could not be reached in time (`unsent`; the run keeps
 * retrying it in the background).
 */
export class CairnSendError extends Error {
  constructor(readonly failures: SendFailure[], readonly unsent: string | null, omitted = 0) {
    super(describe(failures, unsent, omitted));
    this.name = "CairnSendError";
  }
}

const SHOWN = 10;

function describe(failures: SendFailure[], unsent: string | null, omitted: number): string {
  const lines: string[] = [];
  if (unsent) lines.push(`not sent yet: ${unsent}`);
  if (failures.length > 0) lines.push(`refused by the server and dropped:`);
  for (const f of failures.slice(0, SHOWN)) {
    lines.push(`  ${f.what}: ${f.status === 0 ? "" : `${f.status} `}${f.message}`);
  }
  const more = failures.length - SHOWN + omitted;
  if (more > 0) lines.push(`  … and ${more} more`);
  return `Cairn: some logged data did not reach the server\n${lines.join("\n")}`;
}

/** Failures of one run. Kept bounded: a revoked key fails every batch, and memory must not grow with it. */
export class FailureLog {
  private readonly kept: SendFailure[] = [];
  private omitted = 0;
  private reported = 0;
  static readonly LIMIT = 100;

  add(f: SendFailure): void {
    if (this.kept.length < FailureLog.LIMIT) this.kept.push(f);
    else this.omitted++;
  }

  /** Failures not yet handed to a flush(), so each is reported once by flush. */
  takeNew(): SendFailure[] {
    const fresh = this.kept.slice(this.reported);
    this.reported = this.kept.length;
    return fresh;
  }

  all(): SendFailure[] {
    return this.kept.slice();
  }

  get omittedCount(): number {
    return this.omitted;
  }
}
