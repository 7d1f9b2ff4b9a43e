import type { EnvironmentConfig } from '../config/schema';
import type { Construct } from '../constructs/framework';
import { Aspects, TerraformStack } from '../constructs/framework';
import { Guardrails } from '../constructs/guardrails/guardrails';
import { receiverStackRules } from '../constructs/guardrails/packs';
import { RandomProvider } from '../constructs/receiver/bindings';
import { ScimTokens } from '../constructs/receiver/scim-tokens';
import { configureBackend } from './backend';

export interface ScimTokenStackProps {
  /** An environment whose `receiver.deploy` is set. */
  readonly environment: EnvironmentConfig;
}

/**
 * `scim-token-<env>`: only the SCIM bearer token, in two slots. Its state is all the Okta stack reads
 * (never the receiver's, which holds the admin key), and it needs no cloud credentials to apply, so
 * `okta-<env>` can be planned before `receiver-<env>` exists.
 */
export class ScimTokenStack extends TerraformStack {
  readonly tokens: ScimTokens;

  constructor(scope: Construct, id: string, props: ScimTokenStackProps) {
    super(scope, id);
    const deploy = props.environment.receiver.deploy;
    if (!deploy) throw new Error(`ScimTokenStack: environment ${props.environment.name} has no receiver.deploy`);
    configureBackend(this, props.environment, id, 'scim-token');
    new RandomProvider(this, 'random');
    this.tokens = new ScimTokens(this, 'ScimToken', { generation: deploy.token.generation });
    Aspects.of(this).add(new Guardrails(receiverStackRules()));
  }
}
