/**
 * The admin portal as a newcomer meets it: the compiled receiver (`receiver/dist/main.js`, built by
 * test/global-setup.js) in its own process on a real SQLite file, its first-start account read from
 * its output, and Debian's Chromium driven by playwright-core.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { sha256Hex } from '../../../receiver/src/auth/tokens';
import { TOKEN, oktaUser } from './harness';
import { jsonRequest } from '../../../scripts/lib/json-request';

const ROOT = resolve(__dirname, '../../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output/portal');

export interface PortalReceiver {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly stdout: () => string;
  /** A SCIM request with the known token (or another one). */
  scim(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
  createUser(userName: string, extra?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

export async function startPortalReceiver(env: Record<string, string> = {}): Promise<PortalReceiver> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn', SCIM_TOKEN_SHA256: sha256Hex(TOKEN), ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const started = await new Promise<{ url: string; username: string; password: string }>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver did not start: ${out} ${err}`)), 20_000);
    const check = () => {
      const portal = /Admin portal: (http:\/\/\S+)\/admin/.exec(out);
      const account = /Admin portal account \(shown once; only its scrypt hash is stored\): (\S+) \/ (\S+)/.exec(out);
      if (portal && account) {
        clearTimeout(timer);
        resolveStart({ url: portal[1]!, username: account[1]!, password: account[2]! });
      }
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`receiver exited: ${out} ${err}`)));
  });
  const scim = async (method: string, path: string, body?: unknown, token = TOKEN) => {
    const reply = await jsonRequest<any>(method, `${started.url}/scim/v2${path}`, { token, body, parse: 'json' });
    return { status: reply.status, body: reply.body };
  };
  return {
    ...started,
    stdout: () => out,
    scim,
    async createUser(userName, extra = {}) {
      const response = await scim('POST', '/Users', oktaUser(userName, extra));
      if (response.status !== 201) throw new Error(`create ${userName}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects CSP refusals and page errors: a page that needs an inline script would show up here. */
export function watchPage(page: Page): { problems: string[]; dialogs: string[] } {
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void (dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss());
  });
  return { problems, dialogs };
}

export async function signIn(page: Page, receiver: { url: string; username: string; password: string }, locale?: string): Promise<void> {
  await page.goto(`${receiver.url}/admin/users`);
  if (locale) await page.goto(`${receiver.url}/admin/lang?to=${locale}&next=${encodeURIComponent('/admin/login?next=/admin/users')}`);
  await page.locator('#username').fill(receiver.username);
  await page.locator('#password').fill(receiver.password);
  await page.locator('form[action="/admin/login"] button[type=submit]').click();
  await page.waitForURL(/\/admin\/users/);
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the current page (empty when clean). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP stays on.
  const present = await page.evaluate(() => typeof (globalThis as any).axe !== 'undefined');
  if (!present) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe as { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
    const result = await axe.run((globalThis as any).document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
