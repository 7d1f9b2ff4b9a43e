/**
 * The one place the receiver reads the time of day. Built once by each entry point (server.ts for the
 * receiver, the CLIs and tools for theirs) and handed to the store, the services, the invitation worker,
 * the token verifier and the pruner, so that expiry, backoff and retention can be tested by moving a
 * clock rather than by waiting. Durations measured with timers (setTimeout, the SQLite query budget's
 * performance.now) are not readings of the clock and stay where they are.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The host's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Epoch milliseconds as the ISO 8601 UTC text the store keeps (and compares as text). */
export function isoAt(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The clock's time, `offsetMs` later (or earlier, when negative), as ISO 8601 UTC text. */
export function isoTime(clock: Clock, offsetMs = 0): string {
  return isoAt(clock.now() + offsetMs);
}
