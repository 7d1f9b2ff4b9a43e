import { Construct, dependsOnProp } from '../framework';
import { Problems } from '../validation';
import { AppUserSchemaProperty } from './bindings';
import type { IScimApp } from './scim-app';

export const ENTERPRISE_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface ProfileAttribute {
  /** Variable name in the Profile Editor, also the external name sent over SCIM. */
  readonly name: string;
  readonly displayName: string;
  /** @default 'string' */
  readonly type?: 'string' | 'boolean' | 'integer' | 'number';
  /** @default '' */
  readonly description?: string;
  /** @default 'custom' */
  readonly namespace?: 'custom' | 'enterprise';
  /** @default false */
  readonly required?: boolean;
  /**
   * What the end user may do with the attribute in their Okta profile (End-User Dashboard): `HIDE`
   * (not shown), `READ_ONLY` (shown), `READ_WRITE` (shown and editable by the user).
   * @default 'READ_WRITE'
   */
  readonly permission?: AttributePermission;
}

export type AttributePermission = 'HIDE' | 'READ_ONLY' | 'READ_WRITE';
export const ATTRIBUTE_PERMISSIONS: readonly AttributePermission[] = ['HIDE', 'READ_ONLY', 'READ_WRITE'];

export interface ProfileAttributesProps {
  /**
   * The app whose Profile Editor gets the attributes. Attributes declared before provisioning is
   * enabled have no external namespace in Okta and are silently left out of SCIM requests, so nothing
   * is declared until the app's provisioning gate is open.
   */
  readonly app: IScimApp;
  /** External namespace of `custom` attributes (the receiver's SCIM_EXTENSION_URN). */
  readonly extensionUrn: string;
  readonly attributes: readonly ProfileAttribute[];
  /**
   * Refuse to destroy the attributes (`prevent_destroy`): destroying or replacing one (a change of
   * `index`, `type`, `external_name`, `external_namespace` or `scope`) deletes its values in Okta.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Custom app-user attributes (Profile Editor) with their external name and namespace. */
export class ProfileAttributes extends Construct {
  /** By attribute name; empty until provisioning is confirmed. */
  readonly properties: Readonly<Record<string, AppUserSchemaProperty>>;

  constructor(scope: Construct, id: string, props: ProfileAttributesProps) {
    super(scope, id);
    const problems = new Problems('ProfileAttributes').check(
      /^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*:2\.0:User$/.test(props.extensionUrn),
      'extensionUrn: expected urn:ietf:params:scim:schemas:extension:<vendor>:2.0:User',
    );
    const seen = new Set<string>();
    props.attributes.forEach((a, i) => {
      problems.check(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(a.name), `attributes[${i}].name: expected a Profile Editor variable name`);
      problems.check(!seen.has(a.name.toLowerCase()), `attributes[${i}].name: duplicate "${a.name}"`);
      problems.check(a.displayName.trim().length > 0, `attributes[${i}].displayName: must not be empty`);
      problems.check(a.permission === undefined || ATTRIBUTE_PERMISSIONS.includes(a.permission), `attributes[${i}].permission: expected one of ${ATTRIBUTE_PERMISSIONS.join(', ')}`);
      seen.add(a.name.toLowerCase());
    });
    problems.throwIfAny();

    const properties: Record<string, AppUserSchemaProperty> = {};
    this.properties = properties;
    const gate = props.app.provisioning;
    const waiting = `${props.attributes.length} attribute(s) wait for provisioning.confirmed: Okta leaves attributes created before provisioning is enabled out of SCIM requests.`;
    if (!gate.admits(this, props.attributes.length > 0 ? waiting : undefined)) return;
    for (const attribute of props.attributes) {
      properties[attribute.name] = new AppUserSchemaProperty(this, attribute.name, {
        appId: props.app.appId,
        index: attribute.name,
        title: attribute.displayName,
        type: attribute.type ?? 'string',
        description: attribute.description ?? '',
        externalName: attribute.name,
        externalNamespace: (attribute.namespace ?? 'custom') === 'enterprise' ? ENTERPRISE_EXTENSION_URN : props.extensionUrn,
        master: 'PROFILE_MASTER',
        scope: 'NONE',
        permissions: attribute.permission ?? 'READ_WRITE',
        required: attribute.required ?? false,
        lifecycle: { preventDestroy: props.preventDestroy ?? true },
        ...dependsOnProp(gate.dependsOn),
      });
    }
  }
}
