/**
 * `npm run drift` against real receiver processes: config vs the receiver's /Schemas and diagnostics
 * vs the okta stack, and vs the Okta API answered by a local server with Okta's documented shapes.
 */
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../main';
import { runDrift } from '../../scripts/drift/main';
import { readStacks } from '../../scripts/lib/synth';
import { PROCESS_ADMIN_KEY, PROCESS_TOKEN, ReceiverProcess, receiverEnvironmentOf } from '../e2e/support/receiver-process';

jest.setTimeout(60_000);

const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let outdir: string;
let stacks: Record<string, any>;
let drifted: ReceiverProcess;

const SECRETS = { SCIM: PROCESS_TOKEN, ADMIN: PROCESS_ADMIN_KEY, OKTA_API_TOKEN: '00okta-read-only-test-token' };

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'drift-'));
  buildApp(outdir).synth();
  stacks = readStacks(outdir);
  // prod's receiver, drifted: badgeNumber not declared, costBand declared as an integer.
  const env = receiverEnvironmentOf(stacks, 'prod');
  const config = JSON.parse(env.RECEIVER_CONFIG_JSON!);
  config.attributes = config.attributes.filter((a: any) => a.name !== 'badgeNumber').map((a: any) => (a.name === 'costBand' ? { ...a, type: 'integer' } : a));
  drifted = await ReceiverProcess.start({ ...env, RECEIVER_CONFIG_JSON: JSON.stringify(config) });
  // Okta already sends shoeSize, which nobody declares.
  const created = await drifted.request('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME],
    userName: 'grace.hopper@acme.example',
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ primary: true, value: 'grace.hopper@acme.example', type: 'work' }],
    active: true,
    [ACME]: { shoeSize: 38 },
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await drifted?.stop();
  rmSync(outdir, { recursive: true, force: true });
});

async function drift(args: string[]) {
  let out = '';
  let err = '';
  const code = await runDrift([...args, '--stacks', outdir], { env: SECRETS, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err, row: (attribute: string) => out.split('\n').find((l) => l.startsWith(`| ${attribute} `))?.split('|').slice(2, -1).map((c) => c.trim()) };
}

it('shows one attribute missing, one mistyped and one undeclared but sent, and exits 1', async () => {
  const r = await drift(['--env', 'prod', '--url', drifted.scimBaseUrl, '--token-env', 'SCIM', '--admin-key-env', 'ADMIN']);
  expect(r.err).toBe('');
  expect(r.out).toMatch(/^\| attribute +\| config +\| receiver \/Schemas +\| Okta app \(okta stack\) +\| sent by Okta +\|$/m);
  expect(r.row('costBand')).toEqual([`string, ${ACME}`, 'type mismatch (integer)', '✓', '']);
  expect(r.row('badgeNumber')).toEqual([`integer, ${ACME}`, 'missing', '✓', '']);
  expect(r.row('department')).toEqual([`string, ${ENTERPRISE}`, '✓', '✓', '']);
  expect(r.row('employeeNumber')).toEqual([`string, ${ENTERPRISE}`, '✓', '✓', '']);
  expect(r.row('shoeSize')).toEqual(['missing', 'missing', 'missing', 'sent, undeclared (last: grace.hopper@acme.example)']);
  expect(r.out).toContain('Drift: 3 attribute(s), 0 person(s).');
  expect(r.out).not.toContain(PROCESS_TOKEN);
  expect(r.code).toBe(1);
});

it('no drift between a receiver configured by its stack and the okta stack; people never provisioned are drift', async () => {
  const receiver = await ReceiverProcess.start(receiverEnvironmentOf(stacks, 'staging'));
  try {
    const before = await drift(['--env', 'staging', '--url', receiver.scimBaseUrl, '--token-env', 'SCIM', '--admin-key-env', 'ADMIN']);
    expect(before.out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| attribute') && !l.startsWith('| -'))).toHaveLength(4);
    expect(before.row('badgeNumber')).toEqual([`integer, ${ACME}`, '✓', '✓', '']);
    expect(before.out).toContain('Assigned but never provisioned: qa.robot@acme.example');
    expect(before.code).toBe(1);

    await receiver.request('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'qa.robot@acme.example', active: true });
    const after = await drift(['--env', 'staging', '--url', receiver.scimBaseUrl, '--token-env', 'SCIM', '--admin-key-env', 'ADMIN']);
    expect(after.out).toContain('Every person assigned directly (1) is in the receiver.');
    expect(after.out).toContain('No drift.');
    expect(after.code).toBe(0);
  } finally {
    await receiver.stop();
  }
});

it('an environment whose Okta attributes wait for provisioning.confirmed is not drift on the Okta side', async () => {
  const r = await drift(['--env', 'dev']);
  expect(r.row('costBand')).toEqual([`string, ${ACME}`, '(not read)', 'pending (provisioning.confirmed)']);
  expect(r.code).toBe(0);
});

it("--okta reads the app's user schema through the Okta API (read-only) and compares it", async () => {
  const requests: { url: string; authorization: string | undefined; method: string }[] = [];
  // Okta's documented shapes: GET /api/v1/apps?q= (an array of apps), GET /api/v1/meta/schemas/apps/{appId}/default.
  const okta = createServer((req: IncomingMessage, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization, method: req.method ?? '' });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `SSWS ${SECRETS.OKTA_API_TOKEN}`) return send(401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided' });
    if (req.url?.startsWith('/api/v1/apps?')) {
      return send(200, [
        { id: '0oa1prodapp0000000000', label: 'Device Portal (prod)', name: 'scim2testapp', status: 'ACTIVE', signOnMode: 'SAML_2_0' },
        { id: '0oa1otherapp000000000', label: 'Device Portal (prod) old', name: 'scim2testapp', status: 'INACTIVE', signOnMode: 'SAML_2_0' },
      ]);
    }
    if (req.url === '/api/v1/meta/schemas/apps/0oa1prodapp0000000000/default') {
      return send(200, {
        id: 'https://acme.okta.com/meta/schemas/apps/0oa1prodapp0000000000/default',
        $schema: 'http://json-schema.org/draft-04/schema#',
        name: 'scim2testapp',
        title: 'Device Portal (prod) User',
        definitions: {
          base: { id: '#base', type: 'object', properties: { userName: { title: 'Username', type: 'string', required: true, scope: 'NONE', maxLength: 100 } }, required: ['userName'] },
          custom: {
            id: '#custom',
            type: 'object',
            properties: {
              costBand: { title: 'Cost band', type: 'string', scope: 'NONE', externalName: 'costBand', externalNamespace: 'urn:ietf:params:scim:schemas:extension:custom:2.0:User', master: { type: 'PROFILE_MASTER' } },
              badgeNumber: { title: 'Badge number', type: 'string', scope: 'NONE', externalName: 'badgeNumber', externalNamespace: ACME },
              department: { title: 'Department', type: 'string', scope: 'NONE', externalName: 'department', externalNamespace: ENTERPRISE },
            },
            required: [],
          },
        },
        type: 'object',
        properties: { profile: { allOf: [{ $ref: '#/definitions/base' }, { $ref: '#/definitions/custom' }] } },
      });
    }
    return send(404, { errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${req.url}` });
  });
  await new Promise<void>((r) => okta.listen(0, '127.0.0.1', r));
  try {
    const oktaUrl = `http://127.0.0.1:${(okta.address() as AddressInfo).port}`;
    const r = await drift(['--env', 'prod', '--okta', '--okta-url', oktaUrl]);
    expect(r.err).toBe('');
    expect(r.row('costBand')).toEqual([`string, ${ACME}`, '(not read)', 'namespace mismatch (urn:ietf:params:scim:schemas:extension:custom:2.0:User)']);
    expect(r.row('badgeNumber')).toEqual([`integer, ${ACME}`, '(not read)', 'type mismatch (string)']);
    expect(r.row('department')).toEqual([`string, ${ENTERPRISE}`, '(not read)', '✓']);
    expect(r.row('employeeNumber')).toEqual([`string, ${ENTERPRISE}`, '(not read)', 'missing']);
    expect(r.code).toBe(1);
    // Read-only: two GETs, the app found by its exact label, the token sent as SSWS.
    expect(requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      `GET /api/v1/apps?q=${encodeURIComponent('Device Portal (prod)')}&limit=200`,
      'GET /api/v1/meta/schemas/apps/0oa1prodapp0000000000/default',
    ]);

    const denied = await runDrift(['--env', 'prod', '--okta', '--okta-url', oktaUrl, '--okta-token-env', 'SCIM', '--stacks', outdir], { env: SECRETS, stdout: () => undefined, stderr: (t) => (r.err += t) });
    expect(denied).toBe(2);
    expect(r.err).toMatch(/Okta answered 401 for GET \/api\/v1\/apps: the token needs read access/);
  } finally {
    await new Promise((r) => okta.close(r));
  }
});
