import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { sha256Hex } from '../auth/tokens';
import type { InvitationRecord, InvitationStore } from '../store/types';
import type { Clock } from '../time/clock';
import { isoAt, isoTime } from '../time/clock';
import { invitationEmail } from './invitation-email';
import { checkRecipient, describeRefused } from './recipient';
import type { Mailer } from './mailer';

export interface InvitationWorkerOptions {
  /** Base of the links in e-mails: `${publicUrl}/invite/<token>`. */
  readonly publicUrl: string;
  readonly pollIntervalMs: number;
  /** Attempts before an invitation is marked failed. */
  readonly maxAttempts: number;
  /** First retry delay; doubled on every further failure, capped at one hour. */
  readonly retryBaseMs: number;
  readonly linkTtlSeconds: number;
}

/**
 * Sends pending invitations from the outbox. A fresh link token is made for every attempt and only its
 * digest is stored, so a failed attempt's link never works. Runs in the receiver process.
 */
export class InvitationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: InvitationStore,
    private readonly mailer: Mailer,
    private readonly options: InvitationWorkerOptions,
    private readonly logger: Logger,
    /** Due times, backoff and link expiry are read from it; the poll timer only decides when to look. */
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass soon (after an invitation was queued) instead of at the next poll. */
  wake(): void {
    if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running) {
        this.schedule(50);
        return;
      }
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, 'invitation pass failed'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.options.pollIntervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * A pass now, once the pass in progress (if any) has finished: never two passes at once, so a caller
   * asking "send what is due" sees the outcome of every due invitation, not a row the timer's pass holds.
   */
  async runNow(): Promise<number> {
    while (this.running) await this.running;
    const pass = this.runOnce();
    const running = pass.then(
      () => undefined,
      () => undefined,
    );
    this.running = running;
    void running.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    return pass;
  }

  /** One pass over due invitations; returns how many were sent. Claims nothing once stopping. */
  async runOnce(): Promise<number> {
    let sent = 0;
    while (!this.stopped) {
      const now = this.clock.now();
      // The lease outlasts an SMTP timeout; a crash mid-send retries once it ends.
      const due = await this.store.claimDue(isoAt(now), isoAt(now + 5 * 60_000), 20);
      if (due.length === 0) return sent;
      for (const [index, invitation] of due.entries()) {
        if (this.stopped) {
          // Shutting down: what is not being sent goes back to the outbox now, not after the lease.
          await this.store.release(
            due.slice(index).map((i) => ({ id: i.id, claimedUntil: i.nextAttemptAt })),
            isoTime(this.clock),
          );
          return sent;
        }
        if (await this.deliver(invitation)) sent++;
      }
    }
    return sent;
  }

  private async deliver(invitation: InvitationRecord): Promise<boolean> {
    const claimedUntil = invitation.nextAttemptAt;
    // Checked again right before sending (it was when queued): an address from an older version, or a
    // row written by other means, never reaches SMTP unless it is one plain mailbox.
    const recipient = checkRecipient(invitation.email);
    if (!recipient.ok) {
      const reason = describeRefused(invitation.email, recipient.reason);
      this.logger.warn({ invitation: invitation.id }, 'invitation refused: invalid recipient');
      await this.store.markAttemptFailed(invitation.id, claimedUntil, reason, isoTime(this.clock), true);
      return false;
    }
    const token = `inv_${randomBytes(32).toString('base64url')}`;
    const expiresAt = isoTime(this.clock, this.options.linkTtlSeconds * 1000);
    const link = `${this.options.publicUrl}/invite/${token}`;
    try {
      await this.mailer.send(invitationEmail(recipient.address, invitation.userName, link, expiresAt));
    } catch (error) {
      const attempts = invitation.attempts + 1;
      const giveUp = attempts >= this.options.maxAttempts;
      const delay = Math.min(this.options.retryBaseMs * 2 ** (attempts - 1), 3_600_000);
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ invitation: invitation.id, attempts, giveUp, error: message }, 'invitation e-mail failed');
      await this.store.markAttemptFailed(invitation.id, claimedUntil, message, isoTime(this.clock, delay), giveUp);
      return false;
    }
    if (!(await this.store.markSent(invitation.id, claimedUntil, sha256Hex(token), isoTime(this.clock), expiresAt))) {
      // An admin re-invited while this e-mail was on its way: the newer invitation wins, this link never works.
      this.logger.info({ invitation: invitation.id }, 'invitation superseded while it was being sent; its link is void');
      return false;
    }
    this.logger.info({ invitation: invitation.id }, 'invitation e-mail sent');
    return true;
  }
}
