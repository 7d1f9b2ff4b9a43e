/**
 * Every CDKTF and constructs import of the project goes through this module. CDKTF is archived
 * upstream (0.21.0 is final); moving to a fork such as CDK Terrain is then a change here only.
 */
export {
  Annotations,
  App,
  Aspects,
  Fn,
  LocalBackend,
  S3Backend,
  CloudBackend,
  NamedCloudWorkspace,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  TerraformResource,
  TerraformProvider,
  TerraformElement,
  Testing,
  Token,
  Lazy,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
import { TerraformStack as Stack } from 'cdktf';
import { makeUniqueId } from 'cdktf/lib/private/unique';
import type { IConstruct as Node } from 'constructs';
import type { ITerraformDependable } from 'cdktf';

/**
 * The Terraform address name cdktf gives a resource at `path` (construct ids below the stack), e.g.
 * ['GroupPush', 'push-0'] → GroupPush_push-0_F0A6F5C5: used to write `moved` blocks from old addresses.
 */
export function logicalIdOf(path: readonly string[]): string {
  return makeUniqueId([...path]);
}

/** `{ dependsOn }` for a resource config, left out when empty (no `depends_on: []` in the output). */
export function dependsOnProp(dependsOn: readonly ITerraformDependable[] | undefined): { dependsOn?: ITerraformDependable[] } {
  return dependsOn && dependsOn.length > 0 ? { dependsOn: [...dependsOn] } : {};
}

/** Construct ids from the stack (exclusive) down to `construct` (inclusive). */
export function idsBelowStack(construct: Node): string[] {
  const scopes = construct.node.scopes;
  return scopes.slice(scopes.indexOf(Stack.of(construct)) + 1).map((c) => c.node.id);
}

export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';
