/**
 * npm run verify -- --env <name> --url <SCIM base URL> --token-env VAR [--stacks cdktf.out] [--max-import-pages N]
 *
 * Replays the environment's declared integration (its synthesized okta-<env> stack) as Okta's SCIM
 * traffic against a running receiver, with throw-away users and groups under the prefix
 * okta-scim-kit-verify-<random>, removed at the end. Prints ✓/✗ per step; exit 1 on any ✗, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { UsageError, failed, secretFromEnv } from '../lib/cli';
import { loadStacks, oktaStackOf } from '../lib/stacks';
import type { OktaStackJson } from './okta-simulator';
import { replayIntegration, stepLine } from './replay';
import { printableUrl, scimClient } from './scim-client';

export interface Io {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export async function runVerify(argv: readonly string[], io: Io): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { env: { type: 'string' }, url: { type: 'string' }, 'token-env': { type: 'string' }, stacks: { type: 'string' }, 'max-import-pages': { type: 'string' } },
      strict: true,
    });
    if (!values.url || !/^https?:\/\//.test(values.url)) throw new UsageError('--url is required: the receiver\'s SCIM base URL, e.g. https://scim.example.com/scim/v2');
    const token = secretFromEnv(values['token-env'], '--token-env', io.env);
    const maxImportPages = values['max-import-pages'] !== undefined ? Number(values['max-import-pages']) : undefined;
    if (maxImportPages !== undefined && !(Number.isInteger(maxImportPages) && maxImportPages >= 1)) throw new UsageError('--max-import-pages: expected a positive integer');
    const stack = oktaStackOf(await loadStacks(values.stacks), values.env);

    io.stdout(`verify okta-${values.env} against ${printableUrl(values.url)}\n`);
    const steps = await replayIntegration(stack as OktaStackJson, scimClient(values.url, token), {
      wrongTokenCall: scimClient(values.url, `${VERIFY_WRONG_TOKEN}`),
      ...(maxImportPages !== undefined ? { maxImportPages } : {}),
      onStep: (step) => io.stdout(`${stepLine(step)}\n`),
    });
    const count = (o: string) => steps.filter((s) => s.outcome === o).length;
    io.stdout(`${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`);
    return count('failed') > 0 ? 1 : 0;
  } catch (error) {
    return failed(error, io.stderr);
  }
}

/** What the connection test sends as a wrong token. */
const VERIFY_WRONG_TOKEN = 'okta-scim-kit-verify-wrong-token';

if (require.main === module) {
  runVerify(process.argv.slice(2), { env: process.env, stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then((code) => process.exit(code));
}
