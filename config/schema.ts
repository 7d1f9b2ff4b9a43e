import { z } from 'zod';
import { mentionsEnvironment } from '../constructs/environment-name';
import { OKTA_BASE_USER_ATTRIBUTES } from '../constructs/okta/okta-user-attributes';
import { mappingExpressionProblem } from '../constructs/okta/profile-mappings';
import { API_MODE_UNSUPPORTED } from '../constructs/okta/provisioning-connection';
import { imageProblem } from '../constructs/receiver/kubernetes-receiver';
import { customAttributeNameProblem, enterpriseAttributeNameProblem } from '../receiver/src/schema/attribute-contract';

/**
 * One environment of the integration (dev, staging, prod…), usually its own Okta org. Credentials are
 * never part of it: they come from sensitive Terraform variables named after the environment
 * (TF_VAR_okta_api_token_<env>, or TF_VAR_okta_private_key_<env>; see README).
 */

const IDENTIFIER = /^[a-z][a-z0-9-]{0,30}$/;
/** Okta Profile Editor variable names: letters, digits, underscore; not starting with a digit. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
/** What Okta API tokens (00…, 42 chars), private keys, passwords and our own tokens look like. */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b00[A-Za-z0-9_-]{40}\b/, 'an Okta API token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bscim_[A-Za-z0-9_-]{40,}\b/, 'a SCIM bearer token'],
  [/\badm_[A-Za-z0-9_-]{40,}\b/, 'an admin API key'],
  [/\bBearer\s+\S{16,}/i, 'a bearer token'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i, 'a URL with a password'],
  [/\b(password|passwd|pwd|secret)\s*[=:]\s*\S+/i, 'a password'],
];

export const ORG_DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com', 'okta.mil', 'trexcloud.com'] as const;

/** Okta's SCIM 2.0 Test App variants (docs/okta-scim-behavior.md §15.1); verify with GET /api/v1/apps (README). */
export const CATALOG_APPS = {
  scim2testapp: 'SAML_2_0',
  scim2headerauth: 'AUTO_LOGIN',
} as const;

const ATTRIBUTE_TYPES = ['string', 'boolean', 'integer', 'number'] as const;
const trimmed = (max: number) => z.string().max(max).refine((s) => s.trim().length > 0, 'must not be empty');

const AttributeSchema = z
  .object({
    /** Variable name in Okta's Profile Editor and the external name sent over SCIM. */
    name: z.string().regex(VARIABLE_NAME, 'expected a Profile Editor variable name (letters, digits, _; not starting with a digit)'),
    displayName: trimmed(200),
    type: z.enum(ATTRIBUTE_TYPES).default('string'),
    description: z.string().max(1000).default(''),
    /** `custom`: the environment's SCIM extension URN; `enterprise`: the RFC 7643 enterprise extension. */
    namespace: z.enum(['custom', 'enterprise']).default('custom'),
    /** Okta expression for the Okta user → app user mapping, e.g. `user.costCenter`; none: not mapped. */
    source: z.string().max(1000).optional(),
    required: z.boolean().default(false),
    /** What the end user may do with it in their Okta profile. */
    permission: z.enum(['HIDE', 'READ_ONLY', 'READ_WRITE']).default('READ_WRITE'),
  })
  .strict();

const OktaUserAttributeSchema = z
  .object({
    /** Variable name in the Okta user profile: `user.<name>` in mapping sources. */
    name: z.string().regex(VARIABLE_NAME, 'expected a Profile Editor variable name (letters, digits, _; not starting with a digit)'),
    displayName: trimmed(200),
    type: z.enum(ATTRIBUTE_TYPES).default('string'),
    description: z.string().max(1000).default(''),
    /** `create`: declared (okta_user_schema_property) by this stack; `existing`: already in the org, only typed here. */
    source: z.enum(['create', 'existing']).default('create'),
  })
  .strict();

const GroupSchema = z
  .object({
    /** How assignments and group push refer to this group; also its resources' address. */
    key: z.string().regex(IDENTIFIER, 'expected a lower-case identifier (a-z, 0-9, -)'),
    /** The Okta group name. */
    name: trimmed(255),
    /** `existing`: looked up by name in the org; `create`: declared (and owned) by this stack. */
    source: z.enum(['existing', 'create']).default('existing'),
    description: z.string().max(1024).optional(),
  })
  .strict();

const GroupPushSchema = z
  .object({
    group: z.string().regex(IDENTIFIER, 'expected a group key'),
    /** Name of the group in the application; default: the Okta group name. */
    targetName: trimmed(255).optional(),
    /** Okta's provider deletes the downstream group on destroy by default; we do not, unless this says so. */
    deleteDownstreamOnDestroy: z.boolean().default(false),
  })
  .strict();

const LoginSchema = z.string().email('expected an Okta login (an e-mail address)');

const BackendSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('local'), path: z.string().min(1).optional() }).strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().min(3),
      key: z.string().min(1),
      region: z.string().min(1),
      dynamodbTable: z.string().min(1).optional(),
      encrypt: z.boolean().default(true),
    })
    .strict(),
  z.object({ type: z.literal('cloud'), organization: z.string().min(1), workspace: z.string().min(1), hostname: z.string().optional() }).strict(),
]);

function httpsUrl(example: string) {
  return z
    .url({ protocol: /^https$/, message: `expected an https URL (Okta only calls HTTPS), e.g. ${example}` })
    .refine((u) => !new URL(u).hostname.includes('_'), 'Okta refuses base URLs whose host contains "_"');
}

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
/** A sender: `no-reply@acme.example` or `Device Portal <no-reply@acme.example>`, never a URL. */
const MAILBOX = /^([^<>@\r\n]*<[^\s<>@:/]+@[^\s<>@:/]+\.[^\s<>@:/]+>|[^\s<>@:/]+@[^\s<>@:/]+\.[^\s<>@:/]+)$/;

const DatabaseSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sqlite') }).strict(),
  z
    .object({
      type: z.literal('postgres'),
      /** A Secret already in the namespace holds the URL (kubernetes). @default - the sensitive variable `database_url` (TF_VAR_database_url) */
      existingSecret: z
        .object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'expected a Secret name'), key: z.string().min(1).default('DATABASE_URL') })
        .strict()
        .optional(),
    })
    .strict(),
]);

/** The receiver deployment (`receiver-<env>` stack). */
const DeploySchema = z
  .object({
    target: z.enum(['docker', 'kubernetes']),
    /** External base URL of the receiver (behind TLS): PUBLIC_URL, and `<publicUrl>/scim/v2` for Okta. */
    publicUrl: httpsUrl('https://scim.example.com').refine((u) => new URL(u).pathname === '/', 'expected a base URL without a path'),
    /** Image to run: required for kubernetes (a registry reference); docker builds receiver/Dockerfile by default. */
    image: z.string().min(1).optional(),
    /** Several replicas need PostgreSQL (kubernetes). */
    replicas: z.number().int().min(1).max(50).default(1),
    /** `sqlite` (a volume, one replica) or `postgres` (DATABASE_URL from TF_VAR_database_url or an existing Secret). */
    database: DatabaseSchema.default({ type: 'sqlite' }),
    /** PostgreSQL on kubernetes: the HorizontalPodAutoscaler's range. @default replicas to 2 × replicas, 70% CPU */
    autoscaling: z
      .object({ minReplicas: z.number().int().min(1).max(50), maxReplicas: z.number().int().min(1).max(100), cpuUtilization: z.number().int().min(10).max(100).default(70) })
      .strict()
      .optional(),
    autoInvite: z.boolean().default(false),
    /** Sender of invitations; the SMTP URL itself comes from TF_VAR_smtp_url (sensitive), never from config. */
    mailFrom: z.string().regex(MAILBOX, 'expected a sender such as "Device Portal <no-reply@acme.example>" (the SMTP URL comes from TF_VAR_smtp_url)').optional(),
    smtp: z.boolean().default(false),
    /** Token rotation: increase `generation` by one (two slots; see README). */
    token: z
      .object({
        generation: z.number().int().min(1).default(1),
        /** Gone: the two token slots keep the previous token by themselves (reported with a hint). */
        previousGeneration: z.unknown().optional(),
      })
      .strict()
      .default({ generation: 1 }),
    docker: z
      .object({
        hostPort: z.number().int().min(1).max(65535).default(8080),
        /** Docker daemon address. @default the local socket */
        host: z.string().min(1).optional(),
      })
      .strict()
      .default({ hostPort: 8080 }),
    kubernetes: z
      .object({
        namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a DNS label').optional(),
        /** kubeconfig context. @default the current context */
        context: z.string().min(1).optional(),
        ingress: z
          .object({ host: z.string().regex(/^[a-z0-9.-]+$/, 'expected a host name'), tlsSecretName: z.string().min(1), className: z.string().min(1).optional() })
          .strict()
          .optional(),
        storageSize: z.string().regex(QUANTITY, 'expected a quantity such as 1Gi').default('1Gi'),
        storageClassName: z.string().min(1).optional(),
        /** Labels of the namespaces allowed to reach the receiver (the ingress controller's). */
        allowFromNamespaceLabels: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .default({ storageSize: '1Gi' }),
  })
  .strict();

const OktaSchema = z
  .object({
    orgName: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/i, 'expected the org name, e.g. "acme" for acme.okta.com'),
    baseUrl: z.enum(ORG_DOMAINS).default('okta.com'),
    /**
     * How Terraform signs in to this org (one provider per org): an API token from
     * TF_VAR_okta_api_token_<env>, or an OAuth service app whose private key comes from
     * TF_VAR_okta_private_key_<env> (recommended: scoped).
     */
    credentials: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('apiToken') }).strict(),
        z
          .object({
            type: z.literal('privateKey'),
            clientId: z.string().regex(/^0oa[A-Za-z0-9]{17}$/, 'expected the service app client id (0oa…)'),
            privateKeyId: z.string().min(1).max(100).optional(),
          })
          .strict(),
      ])
      .default({ type: 'apiToken' }),
  })
  .strict();

const AppSchema = z
  .object({
    label: z.string().min(1).max(100),
    /** Catalog app to create (default: SCIM 2.0 Test App (OAuth Bearer Token)). */
    catalogName: z.enum(Object.keys(CATALOG_APPS) as [keyof typeof CATALOG_APPS, ...(keyof typeof CATALOG_APPS)[]]).default('scim2testapp'),
    /** Use an app that already exists instead of creating one (its id, 0oa…). */
    existingAppId: z.string().regex(/^0oa[A-Za-z0-9]{17}$/, 'expected an Okta app id such as 0oa1b2c3d4e5f6g7h8i9').optional(),
    /** The existing app is one whose connection Okta's Connections API configures (api mode only). */
    connectionApiSupported: z.boolean().default(false),
  })
  .strict();

const ProvisioningSchema = z
  .object({
    /** `console`: declares nothing Okta rejects and prints a runbook; `api`: okta_app_connection + okta_app_features. */
    mode: z.enum(['console', 'api']).default('console'),
    /** Set once provisioning is enabled on the app (console step done): unlocks attributes, mappings, assignments and group push. */
    confirmed: z.boolean().default(false),
    create: z.boolean().default(true),
    update: z.boolean().default(true),
    deactivate: z.boolean().default(true),
  })
  .strict();

const ReceiverSchema = z
  .object({
    scimBaseUrl: httpsUrl('https://scim.example.com/scim/v2').optional(),
    deploy: DeploySchema.optional(),
  })
  .strict();

const AssignmentsSchema = z
  .object({
    groups: z.array(z.string()).default([]),
    /** Okta logins of people assigned directly. */
    people: z.array(LoginSchema).default([]),
  })
  .strict();

export const EnvironmentSchema = z
  .object({
    name: z.string().regex(IDENTIFIER, 'expected a lower-case identifier such as dev or prod'),
    okta: OktaSchema,
    app: AppSchema,
    provisioning: ProvisioningSchema.default({ mode: 'console', confirmed: false, create: true, update: true, deactivate: true }),
    /** Okta's "external namespace" for custom attributes; the receiver's SCIM_EXTENSION_URN. */
    scimExtensionUrn: z
      .string()
      .regex(/^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*:2\.0:User$/, 'expected urn:ietf:params:scim:schemas:extension:<vendor>:2.0:User')
      .default('urn:ietf:params:scim:schemas:extension:custom:2.0:User'),
    attributes: z.array(AttributeSchema).default([]),
    /** Custom Okta user-profile attributes that mapping sources (`user.<name>`) use. */
    oktaUserAttributes: z.array(OktaUserAttributeSchema).default([]),
    groups: z.array(GroupSchema).default([]),
    assignments: AssignmentsSchema.default({ groups: [], people: [] }),
    groupPush: z.array(GroupPushSchema).default([]),
    /**
     * Where Okta reaches the receiver: `deploy` (scim-token-<env> and receiver-<env> stacks run it and
     * hand URL and token to the Okta stack), or an explicit `scimBaseUrl` of a receiver run elsewhere.
     */
    receiver: ReceiverSchema.default({}),
    backend: BackendSchema.default({ type: 'local' }),
    /**
     * `prevent_destroy` on what loses data when destroyed (profile mappings, app-user and Okta user
     * attributes, the receiver's data volume and namespace). Set false for a throwaway environment.
     */
    destroyProtection: z.boolean().default(true),
    /**
     * One deploy after upgrading from positional addresses (`push-<i>`, `assignment-<i>`, one
     * okta_app_group_assignments): `moved`, `import` and `removed` blocks carry the state over. Keep the
     * lists in the order of the last apply for that deploy, then remove this (README).
     */
    migrateFromPositionalIds: z.boolean().default(false),
  })
  .strict();

export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
export type EnvironmentConfig = z.output<typeof EnvironmentSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** An element of a list that passed its own schema, with its position in the raw list. */
interface Item<T> {
  readonly i: number;
  readonly v: T;
}

function items<T>(schema: z.ZodType<T>, raw: unknown): Item<T>[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((value, i) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? [{ i, v: parsed.data }] : [];
  });
}

function section<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

const field = (raw: unknown, key: string): unknown => (raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[key] : undefined);

/**
 * Cross-field rules, run on every part of the config that passed its own schema, so they are
 * reported in the same pass as schema problems (an undeclared pushed group next to a bad org name).
 */
function crossChecks(raw: unknown, at: (path: string, message: string) => void): void {
  const name = section(z.string(), field(raw, 'name'));
  const app = section(AppSchema, field(raw, 'app'));
  const provisioning = section(ProvisioningSchema.default({ mode: 'console', confirmed: false, create: true, update: true, deactivate: true }), field(raw, 'provisioning'));
  const attributes = items(AttributeSchema, field(raw, 'attributes'));
  const oktaUserAttributes = items(OktaUserAttributeSchema, field(raw, 'oktaUserAttributes'));
  const groups = items(GroupSchema, field(raw, 'groups'));
  const rawAssignments = field(raw, 'assignments');
  const assignedGroups = items(z.string(), field(rawAssignments, 'groups'));
  const people = items(LoginSchema, field(rawAssignments, 'people'));
  const pushes = items(GroupPushSchema, field(raw, 'groupPush'));
  const receiver = section(ReceiverSchema.default({}), field(raw, 'receiver'));

  // Attributes: one name contract with the receiver (custom), the RFC 7643 §4.3 list (enterprise).
  const seenAttributes = new Map<string, number>();
  for (const { i, v: a } of attributes) {
    const previous = seenAttributes.get(a.name.toLowerCase());
    if (previous !== undefined) at(`attributes[${i}].name`, `duplicates attributes[${previous}].name ("${a.name}")`);
    else seenAttributes.set(a.name.toLowerCase(), i);
    const problem = a.namespace === 'enterprise' ? enterpriseAttributeNameProblem(a.name) : customAttributeNameProblem(a.name);
    if (problem) at(`attributes[${i}].name`, `"${a.name}" ${problem}${a.namespace === 'custom' ? ' (the receiver would refuse to start with it)' : ''}`);
    if (a.namespace === 'enterprise' && a.type !== 'string') at(`attributes[${i}].type`, 'enterprise extension attributes are strings');
  }

  // Okta user-profile attributes: not base ones, no duplicates.
  const declaredSources = new Map<string, { type: string; i: number }>();
  for (const { i, v: a } of oktaUserAttributes) {
    if (OKTA_BASE_USER_ATTRIBUTES.some((b) => b.toLowerCase() === a.name.toLowerCase())) at(`oktaUserAttributes[${i}].name`, `"${a.name}" is a base attribute of the Okta user profile; use it as user.${a.name} without declaring it`);
    else if (declaredSources.has(a.name.toLowerCase())) at(`oktaUserAttributes[${i}].name`, `duplicates oktaUserAttributes[${declaredSources.get(a.name.toLowerCase())!.i}].name`);
    else declaredSources.set(a.name.toLowerCase(), { type: a.type, i });
  }

  // Mapping sources: valid expressions; `user.<name>` must exist in the Okta user profile, with the target's type.
  for (const { i, v: a } of attributes) {
    if (a.source === undefined) continue;
    const problem = mappingExpressionProblem(a.source);
    if (problem) {
      at(`attributes[${i}].source`, problem);
      continue;
    }
    const simple = /^user\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(a.source.trim());
    if (!simple) continue; // a general Okta expression: Okta checks it when the mapping is applied
    const sourceName = simple[1]!;
    const base = OKTA_BASE_USER_ATTRIBUTES.find((b) => b.toLowerCase() === sourceName.toLowerCase());
    const declared = declaredSources.get(sourceName.toLowerCase());
    if (!base && !declared) {
      at(
        `attributes[${i}].source`,
        `"${sourceName}" is not a base attribute of the Okta user profile; declare it in oktaUserAttributes (source "create" to create it, "existing" if the org has it) so the mapping does not fail on a fresh org`,
      );
      continue;
    }
    const sourceType = declared ? declared.type : 'string';
    if (sourceType !== a.type) at(`attributes[${i}].source`, `user.${sourceName} is ${sourceType === 'integer' ? 'an' : 'a'} ${sourceType}, the attribute is ${a.type === 'integer' ? 'an' : 'a'} ${a.type}: Okta refuses the mapping (convert in the expression, e.g. String.toString(user.${sourceName}))`);
  }

  const groupKeys = new Map<string, number>();
  const groupNames = new Map<string, number>();
  for (const { i, v: g } of groups) {
    if (groupKeys.has(g.key)) at(`groups[${i}].key`, `duplicates groups[${groupKeys.get(g.key)}].key ("${g.key}")`);
    else groupKeys.set(g.key, i);
    if (groupNames.has(g.name.toLowerCase())) at(`groups[${i}].name`, `duplicates groups[${groupNames.get(g.name.toLowerCase())}].name ("${g.name}")`);
    else groupNames.set(g.name.toLowerCase(), i);
    if (g.source === 'existing' && g.description !== undefined) at(`groups[${i}].description`, 'only groups with source "create" take a description');
    if (g.source === 'create' && name !== undefined && !mentionsEnvironment(g.name, name)) at(`groups[${i}].name`, `a group this stack creates must contain the environment name "${name}"`);
  }
  // Unknown group keys are reported only when the groups list itself is valid (else: noise).
  const groupsComplete = Array.isArray(field(raw, 'groups')) ? groups.length === (field(raw, 'groups') as unknown[]).length : field(raw, 'groups') === undefined;

  const assigned = new Map<string, number>();
  for (const { i, v: key } of assignedGroups) {
    if (groupsComplete && !groupKeys.has(key)) at(`assignments.groups[${i}]`, `"${key}" is not a key in groups`);
    if (assigned.has(key)) at(`assignments.groups[${i}]`, `duplicates assignments.groups[${assigned.get(key)}]`);
    else assigned.set(key, i);
  }
  const logins = new Map<string, number>();
  for (const { i, v: login } of people) {
    if (logins.has(login.toLowerCase())) at(`assignments.people[${i}]`, `duplicates assignments.people[${logins.get(login.toLowerCase())}]`);
    else logins.set(login.toLowerCase(), i);
  }

  const pushed = new Map<string, number>();
  for (const { i, v: p } of pushes) {
    if (groupsComplete && !groupKeys.has(p.group)) at(`groupPush[${i}].group`, `"${p.group}" is not a key in groups`);
    else if (groupKeys.has(p.group) && !assigned.has(p.group)) {
      at(`groupPush[${i}].group`, `"${p.group}" is pushed but not assigned to the app (add it to assignments.groups): Okta pushes only members assigned to the app`);
    }
    if (pushed.has(p.group)) at(`groupPush[${i}].group`, `duplicates groupPush[${pushed.get(p.group)}].group`);
    else pushed.set(p.group, i);
  }

  const deploy = receiver?.deploy;
  if (deploy && receiver?.scimBaseUrl) at('receiver.scimBaseUrl', 'give either receiver.deploy (the receiver stack provides the URL) or receiver.scimBaseUrl, not both');
  if (deploy) {
    const postgres = deploy.database.type === 'postgres';
    if (deploy.replicas > 1 && !postgres) {
      at('receiver.deploy.replicas', 'several replicas need PostgreSQL (database: { type: "postgres" }); with SQLite the receiver runs as a single replica on a persistent volume');
    }
    if (deploy.replicas > 1 && deploy.target !== 'kubernetes') at('receiver.deploy.replicas', 'several replicas run on kubernetes only (docker runs one container)');
    if (deploy.autoscaling && !(postgres && deploy.target === 'kubernetes')) at('receiver.deploy.autoscaling', 'autoscaling needs kubernetes and PostgreSQL');
    if (deploy.autoscaling && deploy.autoscaling.maxReplicas < deploy.autoscaling.minReplicas) at('receiver.deploy.autoscaling.maxReplicas', 'must be at least minReplicas');
    if (deploy.database.type === 'postgres' && deploy.database.existingSecret && deploy.target !== 'kubernetes') {
      at('receiver.deploy.database.existingSecret', 'an existing Secret exists on kubernetes only; on docker the URL comes from TF_VAR_database_url');
    }
    if (deploy.target === 'kubernetes' && !deploy.image) at('receiver.deploy.image', 'kubernetes needs an image in a registry the cluster pulls from (name:tag or @sha256:…)');
    if (deploy.image) {
      const problem = imageProblem(deploy.image);
      if (problem) at('receiver.deploy.image', problem);
    }
    if (deploy.token.previousGeneration !== undefined) {
      at('receiver.deploy.token.previousGeneration', 'no longer used: the token lives in two slots and the previous one stays accepted by itself; remove it and increase token.generation by one to rotate (README)');
    }
    if (deploy.mailFrom && !deploy.smtp) at('receiver.deploy.mailFrom', 'set smtp: true (the URL comes from TF_VAR_smtp_url) for invitations to be sent');
  }

  if (provisioning?.mode === 'api') {
    if (!provisioning.confirmed) {
      at('provisioning.confirmed', 'api mode configures the connection through the API, which Okta accepts only once provisioning is enabled on the app: set confirmed to true after enabling it (see README)');
    }
    if (app && !(app.existingAppId && app.connectionApiSupported)) {
      at('provisioning.mode', `${API_MODE_UNSUPPORTED}. (api mode is for an existing app, app.existingAppId, whose connection the API configures: app.connectionApiSupported: true)`);
    }
  }
  if (app?.connectionApiSupported && !app.existingAppId) at('app.connectionApiSupported', 'applies to an existing app (app.existingAppId); the catalog apps this kit creates are SCIM test apps');
  if (app && name !== undefined && !mentionsEnvironment(app.label, name)) {
    at('app.label', `must contain the environment name "${name}" so that every Okta object says which environment owns it`);
  }
}

/** Secret-looking strings anywhere in the raw config: credentials come from variables only. */
function secretChecks(raw: unknown, path: readonly PropertyKey[] = []): { path: string; message: string }[] {
  if (typeof raw === 'string') {
    for (const [pattern, what] of SECRET_PATTERNS) {
      if (pattern.test(raw)) return [{ path: pathText(path) || '(root)', message: `looks like ${what}; credentials belong in sensitive variables (TF_VAR_…), never in config` }];
    }
    return [];
  }
  if (Array.isArray(raw)) return raw.flatMap((v, i) => secretChecks(v, [...path, i]));
  if (raw && typeof raw === 'object') return Object.entries(raw).flatMap(([k, v]) => secretChecks(v, [...path, k]));
  return [];
}

/** Every problem of one environment, in one pass: schema, cross-field, construct-level and secret rules. */
export function environmentProblems(raw: unknown, source = ''): string[] {
  const prefix = source ? `${source}: ` : '';
  const problems: string[] = [];
  const secrets = secretChecks(raw);
  const secretPaths = new Set(secrets.map((s) => s.path));
  problems.push(...secrets.map((s) => `${prefix}${s.path}: ${s.message}`));
  const parsed = EnvironmentSchema.safeParse(raw);
  if (!parsed.success) {
    // A secret-looking value is reported once, as a secret (its other problems would repeat it).
    problems.push(...parsed.error.issues.filter((i) => !secretPaths.has(pathText(i.path))).map((i) => `${prefix}${pathText(i.path) || '(root)'}: ${i.message}`));
  }
  crossChecks(raw, (path, message) => {
    if (!secretPaths.has(path)) problems.push(`${prefix}${path}: ${message}`);
  });
  return problems;
}

/** Validates one environment, collecting every problem at once. */
export function parseEnvironment(raw: unknown, source = ''): EnvironmentConfig {
  const problems = environmentProblems(raw, source);
  if (problems.length > 0) throw new ConfigError(problems);
  return EnvironmentSchema.parse(raw);
}

export interface EnvironmentSource {
  /** Where it comes from, for messages (config/environments/dev.ts). */
  readonly source: string;
  readonly config: unknown;
  /** The name the file implies (its base name): `name` must match it. @default - any name */
  readonly expectedName?: string;
}

/** Validates a set of environments: each one, their names against their files, and that names are unique. */
export function parseEnvironments(raw: readonly EnvironmentSource[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const { source, config, expectedName } of raw) {
    problems.push(...environmentProblems(config, source));
    const name = field(config, 'name');
    if (typeof name !== 'string') continue;
    if (expectedName !== undefined && name !== expectedName) problems.push(`${source}: name: "${name}" must be "${expectedName}", the file's name (an environment is its file)`);
    if (names.has(name)) problems.push(`${source}: name: "${name}" is also the name of ${names.get(name)}`);
    else names.set(name, source);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return raw.map(({ config }) => EnvironmentSchema.parse(config));
}
