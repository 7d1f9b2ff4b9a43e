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
  TerraformElement,
  Testing,
  Token,
} from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';
