// A real OpenID Connect provider for the portal's sign-in tests: the npm `oidc-provider` package
// (ESM-only, so it runs in its own process), on 127.0.0.1 with a free port, one static confidential
// client and two accounts told apart by their `groups` claim. Its dev interactions show a login form
// (any login, any password) that the browser test fills in; consent is granted automatically.
//
// Usage: node oidc-provider.mjs <redirect-uri>   → prints "OIDC provider: <issuer>" when ready.
import process from 'node:process';
import Provider from 'oidc-provider';

const redirectUri = process.argv[2];
if (!redirectUri) throw new Error('usage: node oidc-provider.mjs <redirect-uri>');

const CLIENT_ID = process.env.OIDC_TEST_CLIENT_ID ?? 'portal-test';
const CLIENT_SECRET = process.env.OIDC_TEST_CLIENT_SECRET ?? 'portal-test-secret-0123456789abcdef';

const ACCOUNTS = {
  'ada-admin': { name: 'Ada Admin', email: 'ada@example.com', groups: ['Everyone', 'okta-scim-admins'] },
  'bob-plain': { name: 'Bob Plain', email: 'bob@example.com', groups: ['Everyone'] },
};

const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'email', 'groups'],
  // Okta puts the groups claim in the ID token when the app asks for it; so does this provider.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  async findAccount(_ctx, id) {
    const account = ACCOUNTS[id] ?? { name: id, email: `${id}@example.com`, groups: [] };
    return { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...account }) };
  },
  // First-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile email groups');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${error.stack}\n`));
server.on('request', provider.callback());
process.stdout.write(`OIDC provider: ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
