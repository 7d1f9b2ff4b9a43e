import { isAbsolute, posix } from 'node:path';
import type { EnvironmentConfig } from '../config/schema';
import type { TerraformStack } from '../constructs/framework';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } from '../constructs/framework';

export type StackKind = 'okta' | 'receiver' | 'scim-token';

/**
 * Where local state files live, as Terraform sees it: each stack runs in cdktf.out/stacks/<stack>, so
 * the project root is three levels up. Relative, so the synthesized JSON carries no path of the
 * machine that synthesized it (and cross-stack reads resolve from every stack directory alike).
 */
export const PROJECT_ROOT_FROM_STACK = '../../..';

/**
 * The environment's backend for one of its stacks. The configured backend describes the okta stack;
 * other stacks of the environment get their own state next to it (same bucket and directory, or a
 * `-<kind>` workspace), so one config line places all of an environment's state. Local state files
 * live in the project root.
 */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig, stackId: string, kind: StackKind): void {
  const backend = env.backend;
  switch (backend.type) {
    case 'local': {
      const file = kind === 'okta' && backend.path ? backend.path : `terraform.${stackId}.tfstate`;
      new LocalBackend(stack, { path: isAbsolute(file) ? file : posix.join(PROJECT_ROOT_FROM_STACK, file) });
      break;
    }
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: kind === 'okta' ? backend.key : posix.join(posix.dirname(backend.key), `${stackId}.tfstate`),
        region: backend.region,
        encrypt: backend.encrypt,
        ...(backend.dynamodbTable ? { dynamodbTable: backend.dynamodbTable } : {}),
      });
      break;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(kind === 'okta' ? backend.workspace : `${backend.workspace}-${kind}`),
        ...(backend.hostname ? { hostname: backend.hostname } : {}),
      });
      break;
  }
}
