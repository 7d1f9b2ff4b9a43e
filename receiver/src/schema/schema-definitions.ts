import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from './urns';

/** RFC 7643 §2.3 attribute data types. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';

/** An attribute definition as RFC 7643 §7 publishes it under /Schemas; it also drives validation, filters and PATCH. */
export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  readonly returned: 'always' | 'never' | 'default' | 'request';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly subAttributes?: readonly AttributeDefinition[];
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type AttributeOptions = Partial<Omit<AttributeDefinition, 'name' | 'type'>>;

function attribute(name: string, type: AttributeType, options: AttributeOptions = {}): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description: options.description ?? name,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const str = (name: string, options?: AttributeOptions) => attribute(name, 'string', options);
const bool = (name: string, options?: AttributeOptions) => attribute(name, 'boolean', options);
const ref = (name: string, referenceTypes: string[], options?: AttributeOptions) =>
  attribute(name, 'reference', { referenceTypes, caseExact: true, ...options });

/** The value/display/type/primary shape shared by emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates. */
function multiValued(
  name: string,
  description: string,
  valueType: AttributeType = 'string',
  canonicalTypes?: string[],
): AttributeDefinition {
  return attribute(name, 'complex', {
    multiValued: true,
    description,
    subAttributes: [
      valueType === 'reference'
        ? ref('value', ['external'], { description: `The value of the ${name} entry.` })
        : attribute('value', valueType, { description: `The value of the ${name} entry.`, caseExact: valueType === 'binary' }),
      str('display', { description: 'A human-readable name, primarily used for display purposes.' }),
      str('type', { description: 'A label indicating the attribute\'s function.', ...(canonicalTypes ? { canonicalValues: canonicalTypes } : {}) }),
      bool('primary', { description: 'Indicates the primary or preferred value for this attribute.' }),
    ],
  });
}

export const ID_ATTRIBUTE = str('id', {
  description: 'Unique identifier for the resource, assigned by the service provider.',
  caseExact: true,
  mutability: 'readOnly',
  returned: 'always',
  uniqueness: 'server',
});

export const EXTERNAL_ID_ATTRIBUTE = str('externalId', {
  description: 'Identifier of the resource as defined by the provisioning client.',
  caseExact: true,
});

export const META_ATTRIBUTE = attribute('meta', 'complex', {
  description: 'Resource metadata.',
  mutability: 'readOnly',
  subAttributes: [
    str('resourceType', { mutability: 'readOnly', caseExact: true }),
    attribute('created', 'dateTime', { mutability: 'readOnly' }),
    attribute('lastModified', 'dateTime', { mutability: 'readOnly' }),
    ref('location', ['uri'], { mutability: 'readOnly' }),
    str('version', { mutability: 'readOnly', caseExact: true }),
  ],
});

export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', {
      description: 'Unique identifier for the User, used to authenticate; unique case-insensitively.',
      required: true,
      uniqueness: 'server',
    }),
    attribute('name', 'complex', {
      description: 'The components of the user\'s real name.',
      subAttributes: [
        str('formatted'),
        str('familyName'),
        str('givenName'),
        str('middleName'),
        str('honorificPrefix'),
        str('honorificSuffix'),
      ],
    }),
    str('displayName', { description: 'The name of the User, suitable for display to end-users.' }),
    str('nickName', { description: 'The casual way to address the user.' }),
    ref('profileUrl', ['external'], { description: 'A fully qualified URL pointing to the user\'s online profile.' }),
    str('title', { description: 'The user\'s title, such as "Vice President".' }),
    str('userType', { description: 'Identifies the relationship between the organization and the user.' }),
    str('preferredLanguage', { description: 'The user\'s preferred written or spoken language (RFC 7231 Accept-Language).' }),
    str('locale', { description: 'Default location of the user (e.g. en-US; en_US is accepted too).' }),
    str('timezone', { description: 'The user\'s time zone in IANA format, e.g. America/Los_Angeles.' }),
    bool('active', { description: 'The user\'s administrative status.' }),
    str('password', {
      description: 'Accepted for compatibility with Okta; never stored, logged or returned.',
      mutability: 'writeOnly',
      returned: 'never',
      caseExact: true,
    }),
    multiValued('emails', 'Email addresses for the user.', 'string', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers for the user.', 'string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses for the user.', 'string', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the user.', 'reference', ['photo', 'thumbnail']),
    attribute('addresses', 'complex', {
      multiValued: true,
      description: 'A physical mailing address for this user.',
      subAttributes: [
        str('formatted'),
        str('streetAddress'),
        str('locality'),
        str('region'),
        str('postalCode'),
        str('country'),
        str('type', { canonicalValues: ['work', 'home', 'other'] }),
        bool('primary'),
      ],
    }),
    attribute('groups', 'complex', {
      multiValued: true,
      description: 'The groups the user belongs to, computed from group memberships (read-only).',
      mutability: 'readOnly',
      subAttributes: [
        str('value', { mutability: 'readOnly', caseExact: true }),
        ref('$ref', ['User', 'Group'], { mutability: 'readOnly' }),
        str('display', { mutability: 'readOnly' }),
        str('type', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
    }),
    multiValued('entitlements', 'Entitlements for the user.'),
    multiValued('roles', 'Roles for the user.'),
    multiValued('x509Certificates', 'DER-encoded X.509 certificates issued to the user (stored as given).', 'binary'),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', { description: 'Numeric or alphanumeric identifier assigned to a person by the organization.' }),
    str('costCenter', { description: 'Identifies the name of a cost center.' }),
    str('organization', { description: 'Identifies the name of an organization.' }),
    str('division', { description: 'Identifies the name of a division.' }),
    str('department', { description: 'Identifies the name of a department.' }),
    attribute('manager', 'complex', {
      description: 'The user\'s manager; not checked against existing users (Okta sends whatever the admin maps).',
      subAttributes: [
        str('value', { description: 'The id of the SCIM resource representing the user\'s manager.', caseExact: true }),
        ref('$ref', ['User'], { description: 'The URI of the manager resource.' }),
        // readWrite, not RFC 7643's readOnly: the receiver does not resolve managers, so it stores what the client sends.
        str('displayName', { description: 'The displayName of the user\'s manager, as sent by the client (managers are not resolved).' }),
      ],
    }),
  ],
};

export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    str('displayName', {
      description: 'A human-readable name for the Group; unique case-insensitively.',
      required: true,
      uniqueness: 'server',
    }),
    attribute('members', 'complex', {
      multiValued: true,
      description: 'A list of members of the Group (users only).',
      subAttributes: [
        str('value', { description: 'Identifier of the member.', caseExact: true, mutability: 'immutable' }),
        ref('$ref', ['User'], { description: 'The URI of the member resource.', mutability: 'immutable' }),
        str('display', { description: 'A human-readable name of the member.', mutability: 'readOnly' }),
        str('type', { description: 'The type of the member.', canonicalValues: ['User'], mutability: 'immutable' }),
      ],
    }),
  ],
};

export function findAttribute(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return attributes.find((a) => a.name.toLowerCase() === lower);
}
