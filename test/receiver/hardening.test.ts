/** Issue 10: protocol edges answered as SCIM errors, and the Okta requests the receiver used to refuse. */
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { CUSTOM_URN, ENTERPRISE_URN, ERROR_URN, TOKEN, TestReceiver, USER_URN, expectScimError, oktaUser, patchOp } from './support/harness';
import { waitFor } from './support/smtp';
import { portalSignIn } from './support/portal-http';

let r: TestReceiver;
let port = 0;
beforeAll(async () => {
  r = await TestReceiver.start({ BODY_LIMIT_BYTES: '4096' });
  port = Number(new URL(r.receiver.url).port);
});
afterAll(async () => {
  await r.stop();
});

/** Sends raw bytes and returns the status line, headers and body of the answer. */
function rawRequest(bytes: Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolveRaw, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      resolveRaw({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), headers: head, body: rest.join('\r\n\r\n') });
    });
    setTimeout(() => socket.destroy(), 5000).unref();
  });
}

function expectScimBody(body: string, status: number): void {
  const parsed = JSON.parse(body) as { schemas: string[]; status: string; detail: string };
  expect(parsed).toMatchObject({ schemas: [ERROR_URN], status: String(status) });
  expect(parsed.detail.length).toBeGreaterThan(0);
}

/** An HTTP request with a body written in full, whatever the server answers first. */
function upload(path: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolveUpload, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', 'content-length': size } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += String(d)));
        res.on('end', () => resolveUpload({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', write);
          return;
        }
      }
      req.end();
    };
    write();
  });
}

describe('HTTP-level errors are RFC 7644 bodies, and nothing is revealed before authentication (defect 7)', () => {
  const longId = 'a'.repeat(3000);

  it('a path parameter over the router limit: 401 without a token, 414 SCIM body with one', async () => {
    expectScimError(await r.get(`/Users/${longId}`, { token: null }), 401);
    expectScimError(await r.get(`/Users/${longId}`), 414);
    // The same answer for a route that does not exist: the 401 says nothing about routes.
    expectScimError(await r.get(`/Widgets/${longId}`, { token: null }), 401);
  });

  it('headers over 16 KiB: 431 with a SCIM body', async () => {
    const response = await rawRequest(Buffer.from(`GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(response.status).toBe(431);
    expect(response.headers).toMatch(/content-type: application\/scim\+json/i);
    expectScimBody(response.body, 431);
  });

  it('a request the HTTP parser refuses, and raw non-ASCII bytes in the URL: 400 with a SCIM body', async () => {
    for (const bytes of [Buffer.from('GARBAGE\r\n\r\n'), Buffer.concat([Buffer.from('GET /scim/v2/Users/'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])]) {
      const response = await rawRequest(bytes);
      expect(response.status).toBe(400);
      expectScimBody(response.body, 400);
    }
  });

  it('bad percent-encoding: 401 without a token, 400 invalidSyntax with one', async () => {
    expectScimError(await r.get('/Users/%ff', { token: null }), 401);
    expectScimError(await r.get('/Users/%ff'), 400, 'invalidSyntax');
  });

  it('Expect: garbage → 417 with a SCIM body', async () => {
    const response = await rawRequest(Buffer.from(`GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nExpect: garbage\r\nConnection: close\r\n\r\n`));
    expect(response.status).toBe(417);
    expectScimBody(response.body, 417);
  });

  it('text/plain → 415 as documented, not 400 (defect 9)', async () => {
    expectScimError(await r.request('POST', '/Users', { raw: JSON.stringify(oktaUser('plain@example.com')), headers: { 'content-type': 'text/plain' } }), 415);
  });

  it('Content-Encoding: gzip → 415 (defect 9)', async () => {
    const response = await r.request('POST', '/Users', {
      raw: zlib.gzipSync(JSON.stringify(oktaUser('gz@example.com'))).toString('latin1'),
      headers: { 'content-type': 'application/scim+json', 'content-encoding': 'gzip' },
    });
    expectScimError(response, 415);
    expect(response.body.detail).toMatch(/Content-Encoding/);
  });

  it('a body far over the limit: the client reads the 413 (graceful close, no EPIPE)', async () => {
    for (const size of [8 * 1024 * 1024, 32 * 1024 * 1024]) {
      const response = await upload('/scim/v2/Users', size);
      expect(response.status).toBe(413);
      expectScimBody(response.body, 413);
    }
    expect((await r.post('/Users', oktaUser('after.413@example.com'))).status).toBe(201);
  });

  it('huge startIndex values are clamped to 2147483647: an empty page, never a 500 (defect 6)', async () => {
    await r.createUser('paging.edge@example.com');
    for (const startIndex of ['1e300', '1e19', '99999999999999999999', '2147483648']) {
      const response = await r.get(`/Users?startIndex=${startIndex}&count=10`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ startIndex: 2_147_483_647, itemsPerPage: 0, Resources: [] });
      expect(response.body.totalResults).toBeGreaterThan(0);
    }
    expect((await r.post('/Users/.search', { startIndex: 1e300, count: 1 })).body.startIndex).toBe(2_147_483_647);
    expect((await r.api('GET', '/users?startIndex=1e300')).status).toBe(400);
  });
});

describe('backslashes in filter strings (defect 9)', () => {
  beforeAll(async () => {
    await r.createUser('DOMAIN\\jdoe', { emails: undefined, displayName: 'J. Doe' });
  });

  it('an RFC-escaped backslash finds DOMAIN\\jdoe, and so does an escaped quote', async () => {
    const found = await r.get(`/Users?filter=${encodeURIComponent('userName eq "domain\\\\JDOE"')}`);
    expect(found.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['DOMAIN\\jdoe']);
    await r.createUser('say"hi"@example.com', { emails: undefined });
    const quoted = await r.get(`/Users?filter=${encodeURIComponent('userName eq "say\\"hi\\"@example.com"')}`);
    expect(quoted.body.totalResults).toBe(1);
  });

  it('refuses an invalid escape with 400 invalidFilter', async () => {
    expectScimError(await r.get(`/Users?filter=${encodeURIComponent('userName eq "bad\\q"')}`), 400, 'invalidFilter');
  });

  it('the admin search takes a trailing backslash and finds DOMAIN\\jdoe', async () => {
    const trailing = await r.api('GET', `/users?search=${encodeURIComponent('domain\\')}`);
    expect(trailing.status).toBe(200);
    expect(trailing.body.items.map((u: { userName: string }) => u.userName)).toEqual(['DOMAIN\\jdoe']);
    const full = await r.api('GET', `/users?search=${encodeURIComponent('DOMAIN\\jdoe')}`);
    expect(full.body.items.map((u: { userName: string }) => u.userName)).toEqual(['DOMAIN\\jdoe']);
  });
});

describe('Okta requests it used to refuse', () => {
  const unknownUrn = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

  it('accepts an unknown extension URN in schemas, stores what is declared, reports the rest with a hint', async () => {
    const body = oktaUser('namespace.mismatch@example.com', {
      schemas: [USER_URN, ENTERPRISE_URN, unknownUrn],
      [ENTERPRISE_URN]: { department: 'Research' },
      [unknownUrn]: { costBand: 'B3' },
    });
    const created = await r.post('/Users', body);
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE_URN]).toEqual({ department: 'Research' });
    expect(created.body[unknownUrn]).toBeUndefined();
    expect(created.body.schemas).not.toContain(unknownUrn);
    const replaced = await r.put(`/Users/${created.body.id}`, { ...body, title: 'Scientist' });
    expect(replaced.status).toBe(200);
    // Listed in schemas only, without attributes: accepted too.
    expect((await r.post('/Users', oktaUser('listed.only@example.com', { schemas: [USER_URN, 'urn:example:other:2.0:User'] }))).status).toBe(201);

    // Reported after the answer (off the request path): on PostgreSQL the write may land a moment later.
    await waitFor(
      async () => {
        const reported = (await r.api('GET', '/diagnostics')).body.undeclaredAttributes as { urn: string }[];
        const logged = (await r.api('GET', '/activity?action=user.unknown-schema')).body.items as { summary: string }[];
        return (
          reported.some((d) => d.urn === unknownUrn) &&
          reported.some((d) => d.urn === 'urn:example:other:2.0:User') &&
          logged.some((a) => a.summary.includes('urn:example:other:2.0:User'))
        );
      },
      10_000,
      'the unknown URNs in diagnostics and activity',
    );
    const diagnostics = (await r.api('GET', '/diagnostics')).body.undeclaredAttributes;
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ urn: unknownUrn, name: 'costBand', hint: expect.stringMatching(/SCIM_EXTENSION_URN=urn:ietf:params:scim:schemas:extension:acme:2\.0:User/) }),
        expect.objectContaining({ urn: 'urn:example:other:2.0:User', name: '(listed in schemas)' }),
      ]),
    );
    expect(diagnostics.find((d: { urn: string }) => d.urn === unknownUrn).hint).toContain(CUSTOM_URN);
    const activity = (await r.api('GET', '/activity?action=user.unknown-schema')).body.items;
    expect(activity.some((a: { summary: string }) => a.summary.includes(unknownUrn) && a.summary.includes('costBand'))).toBe(true);
    // The portal's Diagnostics page reads the same service: the unknown URN, with what to do about it.
    const page = (await (await portalSignIn(r)).page('/diagnostics')).html;
    expect(page).toContain(unknownUrn);
    expect(page).toContain(`SCIM_EXTENSION_URN=${unknownUrn}`);
    expect(page).toContain('(listed in schemas)');
  });

  it('a bad URL under /admin gets the portal\'s HTML error page, under /scim a SCIM body', async () => {
    const portal = await fetch(`${r.receiver.url}/admin/users/%ff`);
    expect(portal.status).toBe(400);
    expect(portal.headers.get('content-type')).toMatch(/^text\/html/);
    expect(portal.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await portal.text()).toContain('percent-encoding');
    const scim = await r.get('/Users/%ff');
    expect(scim.status).toBe(400);
    expect(scim.body.schemas).toEqual([ERROR_URN]);
  });

  it('PATCH remove of userName → 400 mutability (RFC 7644 §3.5.2.2); of a group displayName too', async () => {
    const user = await r.createUser('keep.my.name@example.com');
    expectScimError(await r.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'userName' })), 400, 'mutability');
    const group = await r.createGroup('Named Group');
    expectScimError(await r.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: 'displayName' })), 400, 'mutability');
  });

  it('POST /.search at the root → 501 SCIM error (401 without a token)', async () => {
    expectScimError(await r.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName pr' }), 501);
    expectScimError(await r.post('/.search', {}, { token: null }), 401);
  });

  it('manager.displayName is declared readWrite and stored as sent (declaration and behaviour agree)', async () => {
    const schema = (await r.get(`/Schemas/${ENTERPRISE_URN}`)).body;
    const manager = schema.attributes.find((a: { name: string }) => a.name === 'manager');
    expect(manager.subAttributes.find((a: { name: string }) => a.name === 'displayName').mutability).toBe('readWrite');
    const user = await r.createUser('managed@example.com', { [ENTERPRISE_URN]: { manager: { value: 'boss-id', displayName: 'The Boss' } } });
    expect(user[ENTERPRISE_URN].manager).toEqual({ value: 'boss-id', displayName: 'The Boss' });
  });
});

describe('response compression', () => {
  function get(path: string, encoding: string): Promise<{ encoding?: string; raw: Buffer }> {
    return new Promise((resolveGet, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: `/scim/v2${path}`, headers: { authorization: `Bearer ${TOKEN}`, 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolveGet({ ...(res.headers['content-encoding'] ? { encoding: res.headers['content-encoding'] } : {}), raw: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
  }

  it('honours Accept-Encoding gzip and br above the threshold, and sends small answers as they are', async () => {
    const members: string[] = [];
    for (let i = 0; i < 300; i++) members.push((await r.store.users.create({ userName: `member.${i}@example.com`, active: true })).id);
    const group = await r.store.groups.create({ displayName: 'Big Group' }, members);
    const plain = await get(`/Groups/${group.id}`, 'identity');
    expect(plain.encoding).toBeUndefined();
    const gzip = await get(`/Groups/${group.id}`, 'gzip, deflate');
    expect(gzip.encoding).toBe('gzip');
    expect(zlib.gunzipSync(gzip.raw).toString()).toBe(plain.raw.toString());
    expect(gzip.raw.length).toBeLessThan(plain.raw.length / 4);
    const br = await get(`/Groups/${group.id}`, 'br');
    expect(br.encoding).toBe('br');
    expect(zlib.brotliDecompressSync(br.raw).toString()).toBe(plain.raw.toString());
    const small = await get('/Users?count=0', 'gzip');
    expect(small.encoding).toBeUndefined();
    expect(JSON.parse(small.raw.toString()).schemas).toBeDefined();
  });
});
