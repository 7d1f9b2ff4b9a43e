import { posix, resolve } from 'node:path';
import type { EnvironmentConfig } from '../config/schema';
import type { TerraformStack } from '../constructs/framework';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } from '../constructs/framework';

/**
 * The environment's backend for one of its stacks. The configured backend describes the okta stack;
 * other stacks of the environment get their own state next to it (same bucket and directory, or a
 * `-<kind>` workspace), so one config line places all of an environment's state. Local state files
 * live in the directory `cdktf synth` runs in (the project root).
 */
export function configureBackend(stack: TerraformStack, env: EnvironmentConfig, stackId: string, kind: 'okta' | 'receiver'): void {
  const backend = env.backend;
  switch (backend.type) {
    case 'local':
      // Absolute (from the directory synth runs in, as cdktf's own default): each stack runs in its own
      // directory under cdktf.out, and the okta stack reads the receiver stack's state by this path.
      new LocalBackend(stack, { path: resolve(kind === 'okta' && backend.path ? backend.path : `terraform.${stackId}.tfstate`) });
      break;
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
