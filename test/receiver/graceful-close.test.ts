import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { TestReceiver, TOKEN, oktaUser } from './support/harness';
import { dropTestDatabase } from './support/postgres';

/**
 * A request in flight when the receiver starts closing, on a keep-alive connection the client keeps
 * open: the close must wait for its answer, then end that connection itself. Before, the connection
 * stayed open after the answer (Keep-Alive: timeout=72) and the close hung until SHUTDOWN_TIMEOUT_MS
 * (exit 1 on SIGTERM), which is what the SIGTERM test on PostgreSQL hit under load.
 */

interface RawExchange {
  readonly socket: Socket;
  /** Everything the server sent on this connection, once it ended it. */
  readonly ended: Promise<string>;
}

function openConnection(url: string): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      const ended = new Promise<string>((done) => socket.once('end', () => done(received)));
      resolve({ socket, ended });
    });
    socket.once('error', reject);
  });
}

let receiver: TestReceiver;
let stopped = false;
beforeEach(async () => {
  receiver = await TestReceiver.start();
  stopped = false;
});
afterEach(async () => {
  if (!stopped) await receiver.stop();
});

it('answers a request that was in flight when closing began, then ends its keep-alive connection so the close completes', async () => {
  const body = JSON.stringify(oktaUser('in.flight@example.com'));
  const { socket, ended } = await openConnection(receiver.baseUrl);
  const head = [
    'POST /scim/v2/Users HTTP/1.1',
    `Host: ${new URL(receiver.baseUrl).host}`,
    `Authorization: Bearer ${TOKEN}`,
    'Content-Type: application/scim+json',
    'Connection: keep-alive',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    '',
  ].join('\r\n');
  // Headers and half the body: the request has started, so closing must wait for it.
  const half = Math.floor(body.length / 2);
  socket.write(head + body.slice(0, half));
  await new Promise((resolve) => setTimeout(resolve, 50));

  const closed = receiver.receiver.close();
  socket.write(body.slice(half));

  const received = await ended; // the server ends the connection; the client never does
  await closed;
  stopped = true;
  rmSync(receiver.dir, { recursive: true, force: true });
  if (receiver.databaseUrl) await dropTestDatabase(receiver.databaseUrl);

  expect(received).toMatch(/^HTTP\/1\.1 201 /);
  expect(received.toLowerCase()).toContain('connection: close');
  expect(received).toContain('"userName":"in.flight@example.com"');
  socket.destroy();
});
