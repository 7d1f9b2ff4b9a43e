import type { IAspect, IConstruct } from './framework';
import { Annotations, TerraformOutput, TerraformProvider, TerraformResource, Token } from './framework';
import { mentionsEnvironment } from './environment-name';
import { DOWNSTREAM_DELETE_ALLOWED } from './okta/group-push';

/** Attribute names whose values are credentials, wherever they appear in a resource's configuration. */
const SECRET_KEYS = new Set(['token', 'password', 'admin_password', 'api_token', 'private_key', 'client_secret', 'shared_password']);
const SECRET_OUTPUT = /token|secret|password|private_key/i;

function findPlaintextSecrets(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findPlaintextSecrets(v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      if (SECRET_KEYS.has(key) && typeof v === 'string' && v !== '' && !Token.isUnresolved(v)) return [[...path, key].join('.')];
      return findPlaintextSecrets(v, [...path, key]);
    });
  }
  return [];
}

/** The resource's own attributes, as they will be synthesized. */
function attributesOf(node: TerraformResource): Record<string, unknown> {
  const config = node.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return Object.values(config.resource?.[node.terraformResourceType] ?? {})[0] ?? {};
}

/**
 * No credential in clear: a token or password attribute must be a reference (a sensitive variable or
 * another stack's output), never a literal; outputs named like secrets must be sensitive.
 */
export class NoPlaintextSecrets implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof TerraformResource) {
      for (const path of findPlaintextSecrets(attributesOf(node))) {
        Annotations.of(node).addError(`${path} is a literal value; pass credentials as sensitive references (a variable or the receiver stack's output)`);
      }
    }
    if (node instanceof TerraformProvider) {
      // A provider's credentials (the Okta API token or private key) come from sensitive variables too.
      const config = node.toTerraform() as { provider?: Record<string, Record<string, unknown>[]> };
      for (const path of findPlaintextSecrets(Object.values(config.provider ?? {})[0]?.[0] ?? {})) {
        Annotations.of(node).addError(`provider ${path} is a literal value; pass credentials as sensitive variables (TF_VAR_…)`);
      }
    }
    if (node instanceof TerraformOutput && SECRET_OUTPUT.test(node.friendlyUniqueId) && node.sensitive !== true) {
      Annotations.of(node).addError(`output ${node.friendlyUniqueId} looks like a credential and must be sensitive`);
    }
  }
}

/** Every Okta object this stack names carries the environment name, so nobody mistakes dev for prod. */
export class EnvironmentInLabels implements IAspect {
  constructor(private readonly environment: string) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !node.terraformResourceType.startsWith('okta_')) return;
    const attributes = attributesOf(node);
    const named = node.terraformResourceType === 'okta_group' ? 'name' : typeof attributes.label === 'string' || Token.isUnresolved(attributes.label) ? 'label' : undefined;
    if (!named) return;
    const value = attributes[named];
    if (typeof value === 'string' && !Token.isUnresolved(value) && !mentionsEnvironment(value, this.environment)) {
      Annotations.of(node).addError(`${node.terraformResourceType}.${named} "${value}" must contain the environment name "${this.environment}"`);
    }
  }
}

/** A group push never deletes the downstream group on destroy unless the configuration asked for it. */
export class SafeGroupPush implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node.terraformResourceType !== 'okta_push_group') return;
    const attributes = attributesOf(node);
    const allowed = node.node.metadata.some((m) => m.type === DOWNSTREAM_DELETE_ALLOWED && m.data === true);
    if (attributes.delete_target_group_on_destroy !== false && !allowed) {
      Annotations.of(node).addError(
        'delete_target_group_on_destroy must be false (the provider defaults to true and would delete the group in the application); set deleteDownstreamOnDestroy in config to allow it',
      );
    }
  }
}
