import nodemailer from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { checkRecipient, describeRefused } from './recipient';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Where invitations go out; SMTP in production, any implementation in principle. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465`. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url, { from });
  // MAIL_FROM may carry a display name; the envelope takes its address only.
  const envelopeFrom = addressparser(from, { flatten: true })[0]?.address ?? from;
  return {
    async send(mail) {
      // One validated address (mail/recipient.ts), given as an address object and as the whole SMTP
      // envelope: nodemailer never parses it into a list.
      const checked = checkRecipient(mail.to);
      if (!checked.ok) throw new Error(describeRefused(mail.to, checked.reason));
      await transport.sendMail({ ...mail, from, to: { name: '', address: checked.address }, envelope: { from: envelopeFrom, to: [checked.address] } });
    },
    close() {
      transport.close();
    },
  };
}
