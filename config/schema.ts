import { z } from 'zod';
import { mentionsEnvironment } from '../constructs/environment-name';

/**
 * One environment of the integration (dev, staging, prod…), usually its own Okta org. Credentials are
 * never part of it: the Okta provider reads OKTA_API_TOKEN or OKTA_API_PRIVATE_KEY(+_ID) and
 * OKTA_API_CLIENT_ID from the environment.
 */

const IDENTIFIER = /^[a-z][a-z0-9-]{0,30}$/;
/** Okta Profile Editor variable names: letters, digits, underscore; not starting with a digit. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
/** What Okta API tokens (00…, 42 chars), private keys and our own tokens look like. */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\b00[A-Za-z0-9_-]{40}\b/, 'an Okta API token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\bscim_[A-Za-z0-9_-]{40,}\b/, 'a SCIM bearer token'],
  [/\bBearer\s+\S{16,}/i, 'a bearer token'],
];

export const ORG_DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com', 'okta.mil', 'trexcloud.com'] as const;

/** Okta's SCIM 2.0 Test App variants (behaviour doc §15.1); verify with GET /api/v1/apps (README). */
export const CATALOG_APPS = {
  scim2testapp: 'SAML_2_0',
  scim2headerauth: 'AUTO_LOGIN',
} as const;

const AttributeSchema = z
  .object({
    /** Variable name in Okta's Profile Editor and the external name sent over SCIM. */
    name: z.string().regex(VARIABLE_NAME, 'expected a Profile Editor variable name (letters, digits, _; not starting with a digit)'),
    displayName: z.string().min(1).max(200),
    type: z.enum(['string', 'boolean', 'integer', 'number']).default('string'),
    description: z.string().max(1000).default(''),
    /** `custom`: the environment's SCIM extension URN; `enterprise`: the RFC 7643 enterprise extension. */
    namespace: z.enum(['custom', 'enterprise']).default('custom'),
    /** Okta expression for the Okta user → app user mapping, e.g. `user.costCenter`; none: not mapped. */
    source: z.string().min(1).max(1000).optional(),
    required: z.boolean().default(false),
  })
  .strict();

const GroupSchema = z
  .object({
    /** How assignments and group push refer to this group. */
    key: z.string().regex(IDENTIFIER, 'expected a lower-case identifier (a-z, 0-9, -)'),
    /** The Okta group name. */
    name: z.string().min(1).max(255),
    /** `existing`: looked up by name in the org; `create`: declared (and owned) by this stack. */
    source: z.enum(['existing', 'create']).default('existing'),
    description: z.string().max(1024).optional(),
  })
  .strict();

const GroupPushSchema = z
  .object({
    group: z.string().regex(IDENTIFIER, 'expected a group key'),
    /** Name of the group in the application; default: the Okta group name. */
    targetName: z.string().min(1).max(255).optional(),
    /** Okta's provider deletes the downstream group on destroy by default; we do not, unless this says so. */
    deleteDownstreamOnDestroy: z.boolean().default(false),
  })
  .strict();

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

/** The receiver deployment (`receiver-<env>` stack). */
const DeploySchema = z
  .object({
    target: z.enum(['docker', 'kubernetes']),
    /** External base URL of the receiver (behind TLS): PUBLIC_URL, and `<publicUrl>/scim/v2` for Okta. */
    publicUrl: httpsUrl('https://scim.example.com').refine((u) => new URL(u).pathname === '/', 'expected a base URL without a path'),
    /** Image to run: required for kubernetes (a registry reference); docker builds receiver/Dockerfile by default. */
    image: z.string().min(1).optional(),
    replicas: z.number().int().min(1).max(50).default(1),
    /** Only SQLite exists in the receiver today; PostgreSQL (several replicas) is planned. */
    database: z.enum(['sqlite']).default('sqlite'),
    autoInvite: z.boolean().default(false),
    /** Sender of invitations; the SMTP URL itself comes from TF_VAR_smtp_url (sensitive), never from config. */
    mailFrom: z.string().min(3).optional(),
    smtp: z.boolean().default(false),
    /** Token rotation: bump `generation`; keep the old one in `previousGeneration` until Okta has the new token. */
    token: z
      .object({ generation: z.number().int().min(1).default(1), previousGeneration: z.number().int().min(1).optional() })
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
        ingress: z.object({ host: z.string().min(1), tlsSecretName: z.string().min(1), className: z.string().min(1).optional() }).strict().optional(),
        storageSize: z.string().regex(QUANTITY, 'expected a quantity such as 1Gi').default('1Gi'),
        storageClassName: z.string().min(1).optional(),
        /** Labels of the namespaces allowed to reach the receiver (the ingress controller's). */
        allowFromNamespaceLabels: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .default({ storageSize: '1Gi' }),
  })
  .strict();

export const EnvironmentSchema = z
  .object({
    name: z.string().regex(IDENTIFIER, 'expected a lower-case identifier such as dev or prod'),
    okta: z
      .object({
        orgName: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/i, 'expected the org name, e.g. "acme" for acme.okta.com'),
        baseUrl: z.enum(ORG_DOMAINS).default('okta.com'),
      })
      .strict(),
    app: z
      .object({
        label: z.string().min(1).max(100),
        /** Catalog app to create (default: SCIM 2.0 Test App (OAuth Bearer Token)). */
        catalogName: z.enum(Object.keys(CATALOG_APPS) as [keyof typeof CATALOG_APPS, ...(keyof typeof CATALOG_APPS)[]]).default('scim2testapp'),
        /** Use an app that already exists instead of creating one (its id, 0oa…). */
        existingAppId: z.string().regex(/^0oa[A-Za-z0-9]{17}$/, 'expected an Okta app id such as 0oa1b2c3d4e5f6g7h8i9').optional(),
      })
      .strict(),
    provisioning: z
      .object({
        /** `console`: declares nothing Okta rejects and prints a runbook; `api`: okta_app_connection + okta_app_features. */
        mode: z.enum(['console', 'api']).default('console'),
        /** Set once provisioning is enabled on the app (console step done): unlocks attributes and group push. */
        confirmed: z.boolean().default(false),
        create: z.boolean().default(true),
        update: z.boolean().default(true),
        deactivate: z.boolean().default(true),
      })
      .strict()
      .default({ mode: 'console', confirmed: false, create: true, update: true, deactivate: true }),
    /** Okta's "external namespace" for custom attributes; the receiver's SCIM_EXTENSION_URN. */
    scimExtensionUrn: z
      .string()
      .regex(/^urn:ietf:params:scim:schemas:extension:[A-Za-z0-9][A-Za-z0-9._-]*:2\.0:User$/, 'expected urn:ietf:params:scim:schemas:extension:<vendor>:2.0:User')
      .default('urn:ietf:params:scim:schemas:extension:custom:2.0:User'),
    attributes: z.array(AttributeSchema).default([]),
    groups: z.array(GroupSchema).default([]),
    assignments: z
      .object({
        groups: z.array(z.string()).default([]),
        /** Okta logins of people assigned directly. */
        people: z.array(z.string().email('expected an Okta login (an e-mail address)')).default([]),
      })
      .strict()
      .default({ groups: [], people: [] }),
    groupPush: z.array(GroupPushSchema).default([]),
    /**
     * Where Okta reaches the receiver: `deploy` (a receiver-<env> stack runs it, and hands URL and token
     * to the Okta stack), or an explicit `scimBaseUrl` of a receiver run elsewhere.
     */
    receiver: z
      .object({
        scimBaseUrl: httpsUrl('https://scim.example.com/scim/v2').optional(),
        deploy: DeploySchema.optional(),
      })
      .strict()
      .default({}),
    backend: BackendSchema.default({ type: 'local' }),
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

/** Cross-field rules, checked on the parsed config; every problem is reported with its path. */
function crossChecks(config: EnvironmentConfig, prefix: string): string[] {
  const problems: string[] = [];
  const at = (path: string, message: string) => problems.push(`${prefix}${path}: ${message}`);

  const seenAttributes = new Map<string, number>();
  config.attributes.forEach((a, i) => {
    const previous = seenAttributes.get(a.name.toLowerCase());
    if (previous !== undefined) at(`attributes[${i}].name`, `duplicates attributes[${previous}].name ("${a.name}")`);
    else seenAttributes.set(a.name.toLowerCase(), i);
    if (a.name.toLowerCase() === 'groups') at(`attributes[${i}].name`, '"groups" collides with the SCIM core schema');
  });

  const groupKeys = new Map<string, number>();
  const groupNames = new Map<string, number>();
  config.groups.forEach((g, i) => {
    if (groupKeys.has(g.key)) at(`groups[${i}].key`, `duplicates groups[${groupKeys.get(g.key)}].key ("${g.key}")`);
    else groupKeys.set(g.key, i);
    if (groupNames.has(g.name.toLowerCase())) at(`groups[${i}].name`, `duplicates groups[${groupNames.get(g.name.toLowerCase())}].name ("${g.name}")`);
    else groupNames.set(g.name.toLowerCase(), i);
    if (g.source === 'existing' && g.description !== undefined) at(`groups[${i}].description`, 'only groups with source "create" take a description');
  });

  config.assignments.groups.forEach((key, i) => {
    if (!groupKeys.has(key)) at(`assignments.groups[${i}]`, `"${key}" is not a key in groups`);
  });
  const people = new Map<string, number>();
  config.assignments.people.forEach((login, i) => {
    if (people.has(login.toLowerCase())) at(`assignments.people[${i}]`, `duplicates assignments.people[${people.get(login.toLowerCase())}]`);
    else people.set(login.toLowerCase(), i);
  });

  const pushed = new Map<string, number>();
  config.groupPush.forEach((p, i) => {
    if (!groupKeys.has(p.group)) at(`groupPush[${i}].group`, `"${p.group}" is not a key in groups`);
    else if (!config.assignments.groups.includes(p.group)) {
      at(`groupPush[${i}].group`, `"${p.group}" is pushed but not assigned to the app (add it to assignments.groups): Okta pushes only members assigned to the app`);
    }
    if (pushed.has(p.group)) at(`groupPush[${i}].group`, `duplicates groupPush[${pushed.get(p.group)}].group`);
    else pushed.set(p.group, i);
  });

  const deploy = config.receiver.deploy;
  if (deploy && config.receiver.scimBaseUrl) {
    at('receiver.scimBaseUrl', 'give either receiver.deploy (the receiver stack provides the URL) or receiver.scimBaseUrl, not both');
  }
  if (deploy) {
    if (deploy.replicas > 1 && deploy.database === 'sqlite') {
      at('receiver.deploy.replicas', 'several replicas need PostgreSQL; with SQLite the receiver runs as a single replica on a persistent volume (PostgreSQL support is planned)');
    }
    if (deploy.target === 'kubernetes' && !deploy.image) at('receiver.deploy.image', 'kubernetes needs an image in a registry the cluster pulls from (name:tag or @sha256:…)');
    if (deploy.image?.endsWith(':latest')) at('receiver.deploy.image', 'pin a tag or digest; "latest" makes deployments unreproducible');
    if (deploy.token.previousGeneration !== undefined && deploy.token.previousGeneration >= deploy.token.generation) {
      at('receiver.deploy.token.previousGeneration', 'must be lower than token.generation');
    }
    if (deploy.mailFrom && !deploy.smtp) at('receiver.deploy.mailFrom', 'set smtp: true (the URL comes from TF_VAR_smtp_url) for invitations to be sent');
  }
  if (config.provisioning.mode === 'api' && !config.provisioning.confirmed) {
    at('provisioning.confirmed', 'api mode configures the connection through the API, which Okta accepts only once provisioning is enabled on the app: set confirmed to true after enabling it (see README)');
  }
  if (!mentionsEnvironment(config.app.label, config.name)) {
    at('app.label', `must contain the environment name "${config.name}" so that every Okta object says which environment owns it`);
  }
  config.groups.forEach((g, i) => {
    if (g.source === 'create' && !mentionsEnvironment(g.name, config.name)) {
      at(`groups[${i}].name`, `a group this stack creates must contain the environment name "${config.name}"`);
    }
  });
  return problems;
}

/** Secret-looking strings anywhere in the raw config: credentials come from environment variables only. */
function secretChecks(raw: unknown, prefix: string, path: readonly PropertyKey[] = []): string[] {
  if (typeof raw === 'string') {
    for (const [pattern, what] of SECRET_PATTERNS) {
      if (pattern.test(raw)) return [`${prefix}${pathText(path) || '(root)'}: looks like ${what}; credentials belong in environment variables, never in config`];
    }
    return [];
  }
  if (Array.isArray(raw)) return raw.flatMap((v, i) => secretChecks(v, prefix, [...path, i]));
  if (raw && typeof raw === 'object') return Object.entries(raw).flatMap(([k, v]) => secretChecks(v, prefix, [...path, k]));
  return [];
}

/** Validates one environment, collecting every problem (schema, cross-field, secrets) at once. */
export function parseEnvironment(raw: unknown, source = ''): EnvironmentConfig {
  const prefix = source ? `${source}: ` : '';
  const problems = secretChecks(raw, prefix);
  const parsed = EnvironmentSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${prefix}${pathText(i.path) || '(root)'}: ${i.message}`));
    throw new ConfigError(problems);
  }
  problems.push(...crossChecks(parsed.data, prefix));
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

/** Validates a set of environments: each one, and that names are unique. */
export function parseEnvironments(raw: readonly { source: string; config: unknown }[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const out: EnvironmentConfig[] = [];
  for (const { source, config } of raw) {
    try {
      out.push(parseEnvironment(config, source));
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.problems);
      else throw error;
    }
  }
  const names = new Map<string, string>();
  for (const [i, env] of out.entries()) {
    const source = raw[i]?.source ?? '';
    if (names.has(env.name)) problems.push(`${source}: name: "${env.name}" is also the name of ${names.get(env.name)}`);
    else names.set(env.name, source);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
