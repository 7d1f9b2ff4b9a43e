/**
 * A real OpenID Connect provider process for the portal's sign-in tests (oidc-provider.mjs), and a
 * free port for the receiver so that its redirect URI is known before either starts.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const OIDC_CLIENT_ID = 'portal-test';
export const OIDC_CLIENT_SECRET = 'portal-test-secret-0123456789abcdef';

export interface OidcProviderProcess {
  readonly issuer: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startOidcProvider(redirectUri: string): Promise<OidcProviderProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs'), redirectUri], {
    env: { PATH: process.env.PATH ?? '', OIDC_TEST_CLIENT_ID: OIDC_CLIENT_ID, OIDC_TEST_CLIENT_SECRET: OIDC_CLIENT_SECRET },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`OIDC provider did not start: ${out} ${err}`)), 20_000);
    child.stdout.on('data', () => {
      const found = /OIDC provider: (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then(() => reject(new Error(`OIDC provider exited: ${out} ${err}`)));
  });
  return {
    issuer,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
