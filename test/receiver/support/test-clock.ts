/**
 * A receiver clock the test moves: everything time-driven (expiry, backoff, retention, meta times)
 * then happens when the test says so, without waiting. Time never moves by itself. Other processes (the
 * SMTP sink, an OIDC provider) keep real time: a test that mixes them with a moved clock must say why.
 */
import type { Clock } from '../../../receiver/src/time/clock';

export class TestClock implements Clock {
  private current: number;

  /** Starts at `start` (an ISO time), by default a fixed instant so that the times a test sees are known. */
  constructor(start = '2026-06-01T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): number {
    return this.current;
  }

  /** The current time as the receiver writes it. */
  iso(offsetMs = 0): string {
    return new Date(this.current + offsetMs).toISOString();
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a test clock only moves forward');
    this.current += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
