import { Construct } from '../framework';
import { Problems } from '../validation';
import { UserSchemaProperty } from './bindings';

/**
 * Okta's base user profile (Universal Directory), all strings: the attributes a mapping expression
 * `user.<name>` may use without declaring anything.
 */
export const OKTA_BASE_USER_ATTRIBUTES: readonly string[] = [
  'login', 'email', 'secondEmail', 'firstName', 'lastName', 'middleName', 'honorificPrefix', 'honorificSuffix', 'title',
  'displayName', 'nickName', 'profileUrl', 'primaryPhone', 'mobilePhone', 'streetAddress', 'city', 'state', 'zipCode',
  'postalAddress', 'countryCode', 'preferredLanguage', 'locale', 'timezone', 'userType', 'employeeNumber', 'costCenter',
  'organization', 'division', 'department', 'managerId', 'manager',
];

export interface OktaUserAttribute {
  /** Variable name in the Okta user profile (`user.<name>` in mappings). */
  readonly name: string;
  readonly displayName: string;
  /** @default 'string' */
  readonly type?: 'string' | 'boolean' | 'integer' | 'number';
  /** @default '' */
  readonly description?: string;
}

export interface OktaUserAttributesProps {
  readonly attributes: readonly OktaUserAttribute[];
  /**
   * Refuse to destroy them (`prevent_destroy`): destroying a user-profile attribute deletes its
   * values for every user of the org.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Custom attributes of the Okta user profile (okta_user_schema_property), the sources of mappings. */
export class OktaUserAttributes extends Construct {
  /** By attribute name. */
  readonly properties: Readonly<Record<string, UserSchemaProperty>>;

  constructor(scope: Construct, id: string, props: OktaUserAttributesProps) {
    super(scope, id);
    const problems = new Problems('OktaUserAttributes');
    const seen = new Set<string>();
    props.attributes.forEach((a, i) => {
      problems.check(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(a.name), `attributes[${i}].name: expected a Profile Editor variable name`);
      problems.check(!OKTA_BASE_USER_ATTRIBUTES.some((b) => b.toLowerCase() === a.name.toLowerCase()), `attributes[${i}].name: "${a.name}" is a base attribute of the Okta user profile`);
      problems.check(!seen.has(a.name.toLowerCase()), `attributes[${i}].name: duplicate "${a.name}"`);
      problems.check(a.displayName.trim().length > 0, `attributes[${i}].displayName: must not be empty`);
      seen.add(a.name.toLowerCase());
    });
    problems.throwIfAny();
    const properties: Record<string, UserSchemaProperty> = {};
    for (const attribute of props.attributes) {
      properties[attribute.name] = new UserSchemaProperty(this, attribute.name, {
        index: attribute.name,
        title: attribute.displayName,
        type: attribute.type ?? 'string',
        description: attribute.description ?? '',
        master: 'PROFILE_MASTER',
        permissions: 'READ_ONLY',
        lifecycle: { preventDestroy: props.preventDestroy ?? true },
      });
    }
    this.properties = properties;
  }
}
