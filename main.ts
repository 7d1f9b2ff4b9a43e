import type { EnvironmentConfig } from './config/schema';
import { ConfigError } from './config/schema';
import { loadEnvironments } from './config/environments';
import { App } from './constructs/framework';
import { Guardrails } from './constructs/guardrails/guardrails';
import { PropsValidationError } from './constructs/validation';
import { describeForceNewChange, forceNewChanges, readSynthesizedStacks } from './scripts/force-new-changes';
import { OktaStack } from './stacks/okta-stack';
import { ReceiverStack, scimBaseUrlOf } from './stacks/receiver-stack';
import { ScimTokenStack } from './stacks/scim-token-stack';

/**
 * One set of stacks per environment, from one validated config. Deploy order where the receiver is
 * deployed: scim-token-<env>, receiver-<env>, okta-<env>. The Okta stack reads only the token stack
 * (never the receiver's state), so it can be planned as soon as scim-token-<env> is applied.
 */
export function buildApp(outdir?: string, environments: readonly EnvironmentConfig[] = loadEnvironments()): App {
  const app = new App(outdir ? { outdir } : {});
  for (const environment of environments) {
    const deploy = environment.receiver.deploy;
    if (deploy) {
      const token = new ScimTokenStack(app, `scim-token-${environment.name}`, { environment });
      new ReceiverStack(app, `receiver-${environment.name}`, { environment, tokens: token.tokens });
      new OktaStack(app, `okta-${environment.name}`, { environment, receiver: { scimBaseUrl: scimBaseUrlOf(deploy.publicUrl), token: token.tokens.currentToken } });
    } else {
      new OktaStack(app, `okta-${environment.name}`, { environment });
    }
  }
  return app;
}

if (require.main === module) {
  try {
    // ENVIRONMENTS_DIR: synthesize the environment files of another directory (default config/environments).
    const app = buildApp(undefined, loadEnvironments(process.env.ENVIRONMENTS_DIR || undefined));
    const previous = readSynthesizedStacks(app.outdir);
    app.synth();
    // Every guardrail exception, with its reason, on every synth: nobody forgets one was made.
    for (const line of Guardrails.suppressedFindings(app)) process.stderr.write(`guardrail ${line}\n`);
    // Replacements that delete data, announced before anyone plans (compared with the previous synth).
    for (const change of forceNewChanges(previous, readSynthesizedStacks(app.outdir))) process.stderr.write(`${describeForceNewChange(change)}\n`);
  } catch (error) {
    // A configuration mistake is a message with its file and path, never a stack trace.
    if (error instanceof ConfigError || error instanceof PropsValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
