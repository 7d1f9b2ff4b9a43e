import type { IConstruct } from '../../framework';
import { TerraformOutput, TerraformProvider, TerraformResource, Token } from '../../framework';
import type { GuardrailRule } from '../rule';
import { synthesizedAttributes } from '../rule';

/** Attribute names whose values are credentials, wherever they appear in a resource's configuration. */
const SECRET_KEYS = new Set(['token', 'password', 'admin_password', 'api_token', 'private_key', 'client_secret', 'shared_password']);
const SECRET_OUTPUT = /token|secret|password|private_key/i;

function plaintextSecretPaths(value: unknown, path: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => plaintextSecretPaths(v, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      if (SECRET_KEYS.has(key) && typeof v === 'string' && v !== '' && !Token.isUnresolved(v)) return [[...path, key].join('.')];
      return plaintextSecretPaths(v, [...path, key]);
    });
  }
  return [];
}

/**
 * OKTA-001: no credential in clear. A token or password attribute of a resource or provider must be a
 * reference (a sensitive variable or another stack's output), never a literal; outputs named like
 * secrets must be sensitive.
 */
export const NO_PLAINTEXT_SECRETS: GuardrailRule = {
  id: 'OKTA-001',
  summary: 'credentials are sensitive references, never literals',
  check(node: IConstruct): string[] {
    if (node instanceof TerraformResource) {
      return plaintextSecretPaths(synthesizedAttributes(node)).map(
        (path) => `${path} is a literal value; pass credentials as sensitive references (a variable or the receiver stack's output)`,
      );
    }
    if (node instanceof TerraformProvider) {
      // A provider's credentials (the Okta API token or private key) come from sensitive variables too.
      const config = node.toTerraform() as { provider?: Record<string, Record<string, unknown>[]> };
      return plaintextSecretPaths(Object.values(config.provider ?? {})[0]?.[0] ?? {}).map(
        (path) => `provider ${path} is a literal value; pass credentials as sensitive variables (TF_VAR_…)`,
      );
    }
    if (node instanceof TerraformOutput && SECRET_OUTPUT.test(node.friendlyUniqueId) && node.sensitive !== true) {
      return [`output ${node.friendlyUniqueId} looks like a credential and must be sensitive`];
    }
    return [];
  },
};
