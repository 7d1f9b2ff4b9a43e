/**
 * A real SMTP server in its own process for the tests (smtp-server + mailparser). Prints
 * `LISTENING <port>` once ready, then one JSON line per accepted message. With SMTP_SINK_FAIL_FIRST=n
 * it answers the first n messages with a temporary failure (451), as a flaky relay would. With
 * SMTP_SINK_DELAY_MS=t it waits t ms before accepting each message (a slow relay: a send in flight).
 * Each accepted message is printed when accepted; with a delay, `ARRIVED` is printed when its data is in.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

let failuresLeft = Number(process.env.SMTP_SINK_FAIL_FIRST ?? 0);
const delayMs = Number(process.env.SMTP_SINK_DELAY_MS ?? 0);

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', async () => {
      if (delayMs > 0) {
        process.stdout.write('ARRIVED\n');
        await new Promise((resolveDelay) => setTimeout(resolveDelay, delayMs));
      }
      if (failuresLeft > 0) {
        failuresLeft--;
        const error = Object.assign(new Error('Temporary relay failure'), { responseCode: 451 });
        callback(error);
        return;
      }
      simpleParser(Buffer.concat(chunks))
        .then((mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          process.stdout.write(`${JSON.stringify({ from: session.envelope.mailFrom && session.envelope.mailFrom.address, to, subject: mail.subject, text: mail.text, html: mail.html })}\n`);
          callback();
        })
        .catch((error: Error) => callback(error));
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
