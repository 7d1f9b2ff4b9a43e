/**
 * npm run drift -- --env <name> [--url <SCIM base URL> --token-env VAR [--admin-key-env VAR]] [--okta [--app-id ID] [--okta-url URL] [--okta-token-env VAR]] [--stacks cdktf.out]
 *
 * Compares the attribute list in the three places that hold it: the environment config, the receiver
 * (live /Schemas; with the admin key, /api/diagnostics: what Okta sends that it does not declare) and
 * Okta (offline: the synthesized okta-<env> stack; with --okta: the app's user schema through the
 * Okta API, read-only). Also lists people assigned in config that the receiver has never seen.
 * Exit code: 0 no drift, 1 drift, 2 error.
 */
import { parseArgs } from 'node:util';
import { loadEnvironments } from '../../config/environments';
import { UsageError, failed, secretFromEnv } from '../lib/cli';
import { loadStacks, oktaStackOf } from '../lib/stacks';
import { printableUrl, scimClient } from '../verify/scim-client';
import type { Place } from './compare';
import { compare, renderTable } from './compare';
import type { UndeclaredAttribute } from './places';
import { ENTERPRISE_URN, findAppId, fromConfig, fromDiagnostics, fromOktaApi, fromOktaStack, fromReceiverSchemas, neverProvisioned } from './places';

export interface Io {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The receiver's root URL (admin API) from its SCIM base URL. */
function receiverRoot(scimBaseUrl: string): string {
  return scimBaseUrl.replace(/\/+$/, '').replace(/\/scim\/v2$/, '');
}

export async function runDrift(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' },
        url: { type: 'string' },
        'token-env': { type: 'string' },
        'admin-key-env': { type: 'string' },
        okta: { type: 'boolean', default: false },
        'app-id': { type: 'string' },
        'okta-url': { type: 'string' },
        'okta-token-env': { type: 'string', default: 'OKTA_API_TOKEN' },
        stacks: { type: 'string' },
      },
      strict: true,
    });
    const environments = loadEnvironments();
    const env = environments.find((e) => e.name === values.env);
    if (!env) throw new UsageError(`--env ${values.env ?? '(missing)'}: expected one of ${environments.map((e) => e.name).join(', ')}`);
    const config = fromConfig(env);
    const urns = [env.scimExtensionUrn, ENTERPRISE_URN];

    // The receiver, live.
    let receiver: Place = { title: 'receiver /Schemas' };
    let undeclared: UndeclaredAttribute[] | undefined;
    let unseen: string[] | undefined;
    if (values.url) {
      const call = scimClient(values.url, secretFromEnv(values['token-env'], '--token-env', io.env));
      receiver = { title: 'receiver /Schemas', attributes: await fromReceiverSchemas(call, urns), fixedSchemas: [ENTERPRISE_URN] };
      if (values['admin-key-env']) undeclared = await fromDiagnostics(receiverRoot(values.url), secretFromEnv(values['admin-key-env'], '--admin-key-env', io.env));
      unseen = await neverProvisioned(call, env.assignments.people);
    }

    // Okta: the app's schema through the API, or what the okta stack declares.
    let okta: Place;
    if (values.okta) {
      const api = { orgUrl: values['okta-url'] ?? `https://${env.okta.orgName}.${env.okta.baseUrl}`, token: secretFromEnv(values['okta-token-env'], '--okta-token-env', io.env) };
      const appId = values['app-id'] ?? env.app.existingAppId ?? (await findAppId(api, env.app.label));
      okta = { title: 'Okta app (API)', attributes: await fromOktaApi(api, appId) };
    } else {
      const stack = oktaStackOf(await loadStacks(values.stacks), env.name);
      okta = { title: 'Okta app (okta stack)', attributes: fromOktaStack(stack), ...(env.provisioning.confirmed ? {} : { pending: 'pending (provisioning.confirmed)' }) };
    }

    const places = [receiver, okta];
    const rows = compare(config, places, undeclared);
    io.stdout(`drift ${env.name}: config ↔ ${values.url ? printableUrl(values.url) : 'receiver not read (no --url)'} ↔ ${okta.title}\n\n`);
    io.stdout(`${renderTable(['attribute', 'config', ...places.map((p) => p.title), ...(undeclared ? ['sent by Okta'] : [])], rows)}\n\n`);
    const drifting = rows.filter((r) => r.drift).length;
    if (unseen) io.stdout(unseen.length > 0 ? `Assigned but never provisioned: ${unseen.join(', ')}\n` : `Every person assigned directly (${env.assignments.people.length}) is in the receiver.\n`);
    const drift = drifting > 0 || (unseen?.length ?? 0) > 0;
    io.stdout(drift ? `Drift: ${drifting} attribute(s), ${unseen?.length ?? 0} person(s).\n` : 'No drift.\n');
    return drift ? 1 : 0;
  } catch (error) {
    return failed(error, io.stderr);
  }
}

if (require.main === module) {
  runDrift(process.argv.slice(2), { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then((code) => process.exit(code));
}
