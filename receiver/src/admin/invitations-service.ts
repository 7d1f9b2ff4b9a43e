import { sha256Hex } from '../auth/tokens';
import { primaryElement } from '../scim/attribute-values';
import type { InvitationRecord, ScimStore } from '../store/types';
import type { Clock } from '../time/clock';
import { isoTime } from '../time/clock';
import { checkRecipient, describeRefused } from '../mail/recipient';
import { badRequest, notFoundError } from './errors';

export const SMTP_NOT_CONFIGURED = 'SMTP is not configured: set SMTP_URL (and MAIL_FROM) for invitations to be sent.';

/** Where an invitation would go: one validated address, or the value that was refused and why. */
export type InvitationTarget = { readonly email: string } | { readonly refused: { readonly email: string; readonly reason: string } };

/**
 * The address an invitation goes to: the primary e-mail, else the first one; undefined when the user has
 * none. Anything but exactly one plain mailbox is refused (mail/recipient.ts), never sent.
 */
export function invitationTarget(data: Record<string, unknown>): InvitationTarget | undefined {
  const chosen = primaryElement(data.emails);
  if (chosen?.value === undefined) return undefined;
  const checked = checkRecipient(chosen.value);
  if (checked.ok) return { email: checked.address };
  return { refused: { email: String(chosen.value), reason: describeRefused(chosen.value, checked.reason) } };
}

export type AcceptOutcome = 'accepted' | 'unknown' | 'used' | 'expired';

export interface InvitationView extends InvitationRecord {
  /** Why a pending invitation is not going out, when that is known. */
  readonly blockedReason?: string;
}

export class InvitationsService {
  constructor(
    private readonly store: ScimStore,
    private readonly smtpConfigured: boolean,
    private readonly wake: () => void,
    private readonly clock: Clock,
  ) {}

  view(record: InvitationRecord): InvitationView {
    return record.status === 'pending' && !this.smtpConfigured ? { ...record, blockedReason: SMTP_NOT_CONFIGURED } : record;
  }

  /** An admin's invitation or re-invitation (the only way a user is invited twice). */
  async invite(userId: string, actor: string): Promise<InvitationView> {
    const user = await this.store.users.get(userId, { groups: false });
    if (!user) throw notFoundError(`User ${userId} not found.`);
    const target = invitationTarget(user.data);
    if (!target) throw badRequest(`User ${String(user.data.userName)} has no e-mail address to invite.`, 'emails');
    if ('refused' in target) throw badRequest(`User ${String(user.data.userName)} cannot be invited. ${target.refused.reason}`, 'emails');
    const email = target.email;
    const record = await this.store.invitations.createManual(userId, email, {
      actor,
      action: 'invitation.create',
      resourceType: 'Invitation',
      resourceId: userId,
      summary: `Invitation to ${email} queued by an admin`,
    });
    if (!record) throw notFoundError(`User ${userId} not found.`);
    this.wake();
    return this.view(record);
  }

  async list(options: { userId?: string; status?: InvitationRecord['status']; limit: number }): Promise<InvitationView[]> {
    return (await this.store.invitations.list(options)).map((r) => this.view(r));
  }

  /** Looks a link token up without using it (the page shown before confirming). */
  async check(token: string): Promise<{ outcome: AcceptOutcome; invitation?: InvitationRecord }> {
    const invitation = await this.store.invitations.findByToken(sha256Hex(token));
    if (!invitation) return { outcome: 'unknown' };
    if (invitation.acceptedAt) return { outcome: 'used', invitation };
    if (invitation.expiresAt && invitation.expiresAt < isoTime(this.clock)) return { outcome: 'expired', invitation };
    return { outcome: 'accepted', invitation };
  }

  async accept(token: string): Promise<{ outcome: AcceptOutcome; invitation?: InvitationRecord }> {
    const checked = await this.check(token);
    if (checked.outcome !== 'accepted' || !checked.invitation) return checked;
    const accepted = await this.store.invitations.accept(checked.invitation.id, isoTime(this.clock));
    return accepted ? checked : { outcome: 'used', invitation: checked.invitation };
  }
}
