import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { SslMode } from './store/postgres/database-url';
import { SSL_MODES } from './store/postgres/database-url';
import type { ReceiverLimits } from './scim/limits';

const SHA256_HEX = /^[0-9a-f]{64}$/;

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected an integer from ${min} to ${max}`).max(max, `expected an integer from ${min} to ${max}`));

const hashList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h !== ''),
  )
  .pipe(z.array(z.string().regex(SHA256_HEX, 'expected comma-separated lower-case hex SHA-256 digests (64 characters each)')));

/** The portal route Okta redirects back to after sign-in. */
export const OIDC_CALLBACK_PATH = '/admin/oidc/callback';

function isLoopback(u: string): boolean {
  const host = new URL(u).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** Every environment variable the receiver reads; README's table mirrors this. */
const Environment = z.object({
  PORT: integer(0, 65535).default(8080),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  SQLITE_FILE: z.string().trim().min(1).optional(),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  SQLITE_BUSY_TIMEOUT_MS: integer(0, 600_000).default(5000),
  SCIM_TOKEN_SHA256: hashList.optional(),
  METRICS_TOKEN_SHA256: hashList.optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL such as https://scim.example.com' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_PER_MINUTE: integer(0, 10_000_000).default(60_000),
  SCIM_DEFAULT_PAGE_SIZE: integer(1, 10_000).default(100),
  SCIM_MAX_PAGE_SIZE: integer(1, 10_000).default(1000),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  SCIM_EXTENSION_URN: z
    .string()
    .trim()
    .regex(/^urn:[a-z0-9][a-z0-9-]{0,31}:[\w()+,.:=@;$!*'%/?#-]+:User$/i, 'expected a URN ending in ":User", e.g. urn:ietf:params:scim:schemas:extension:acme:2.0:User')
    .refine((u) => !/^urn:ietf:params:scim:schemas:(core|extension:enterprise):2\.0:/i.test(u), 'must not be a standard SCIM schema URN')
    .default('urn:ietf:params:scim:schemas:extension:custom:2.0:User'),
  RECEIVER_CONFIG: z.string().trim().min(1).optional(),
  RECEIVER_CONFIG_JSON: z.string().trim().min(2).optional(),
  ADMIN_API_KEY_SHA256: hashList.optional(),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'expected smtp://[user:pass@]host[:port] or smtps://…' })
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('okta-scim-kit <no-reply@localhost>'),
  INVITATION_LINK_TTL_SECONDS: integer(1, 90 * 24 * 3600).default(72 * 3600),
  INVITATION_MAX_ATTEMPTS: integer(1, 100).default(8),
  INVITATION_RETRY_BASE_MS: integer(100, 3_600_000).default(30_000),
  INVITATION_POLL_MS: integer(50, 3_600_000).default(5_000),
  ACTIVITY_RETENTION_DAYS: integer(0, 36_500).default(365),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'expected postgres://user:password@host:port/database (unset: the SQLite file)' })
    .optional(),
  DATABASE_POOL_SIZE: integer(2, 1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(0, 600_000).default(15_000),
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5_000),
  DATABASE_SSL_MODE: z.enum(SSL_MODES as [SslMode, ...SslMode[]]).optional(),
  DATABASE_SSL_CA_FILE: z.string().trim().min(1).optional(),
  // Bounded work per request (README "Limits"): SQLite runs on the event loop.
  SCIM_FILTER_MAX_LENGTH: integer(64, 65_536).default(4096),
  SCIM_FILTER_MAX_TERMS: integer(1, 500).default(32),
  SCIM_FILTER_MAX_DEPTH: integer(1, 50).default(8),
  SCIM_FILTER_MAX_VALUE_PATHS: integer(0, 100).default(4),
  SCIM_QUERY_TIME_LIMIT_MS: integer(10, 60_000).default(1000),
  SCIM_MAX_IDENTIFIER_LENGTH: integer(16, 65_536).default(256),
  SCIM_MAX_STRING_LENGTH: integer(16, 10 * 1024 * 1024).default(4096),
  SCIM_MAX_VALUES: integer(1, 100_000).default(100),
  SCIM_MAX_RESOURCE_BYTES: integer(1024, 100 * 1024 * 1024).default(64 * 1024),
  SCIM_MAX_RESPONSE_BYTES: integer(16 * 1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
  COMPRESSION_MIN_BYTES: integer(0, 100 * 1024 * 1024).default(1024),
  PORTAL_ADMIN_USERNAME: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'expected 1 to 100 letters, digits, ".", "_", "@" or "-"').default('admin'),
  PORTAL_SESSION_IDLE_SECONDS: integer(1, 7 * 86_400).default(1800),
  PORTAL_SESSION_MAX_SECONDS: integer(1, 30 * 86_400).default(12 * 3600),
  PORTAL_LOGIN_MAX_ATTEMPTS: integer(1, 1000).default(5),
  PORTAL_LOGIN_LOCK_SECONDS: integer(1, 86_400).default(900),
  OIDC_ISSUER: z
    .url({ protocol: /^https?$/, message: 'expected the issuer URL, such as https://acme.okta.com or https://acme.okta.com/oauth2/default' })
    .transform((u) => u.replace(/\/+$/, ''))
    .refine((u) => u.startsWith('https://') || isLoopback(u), 'must be https (plain http is accepted only for localhost, in tests)')
    .optional(),
  OIDC_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  OIDC_CLIENT_SECRET: z.string().trim().min(1).max(2000).optional(),
  OIDC_REDIRECT_URL: z
    .url({ protocol: /^https?$/, message: 'expected an absolute http(s) URL ending in /admin/oidc/callback' })
    .refine((u) => new URL(u).pathname === OIDC_CALLBACK_PATH, `must end in ${OIDC_CALLBACK_PATH} (the portal's callback route)`)
    .optional(),
  OIDC_SCOPES: z
    .string()
    .trim()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'expected space-separated scopes')
    .refine((s) => s.split(' ').includes('openid'), 'must include "openid"')
    .default('openid profile email groups'),
  OIDC_ADMIN_GROUP: z.string().trim().min(1).max(500).optional(),
  OIDC_ADMIN_CLAIM: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'expected a claim name such as groups or roles').optional(),
  OIDC_ADMIN_VALUE: z.string().trim().min(1).max(500).optional(),
});


/** Sign-in with Okta (or another OpenID Connect provider) for the admin portal. */
export interface OidcSettings {
  readonly issuer: string;
  readonly clientId: string;
  /** Sent to the token endpoint only; never logged or rendered. */
  readonly clientSecret: string;
  readonly redirectUrl: string;
  readonly scopes: string;
  /** An ID token claim, and the value it must equal or (for a list such as groups) contain, to be an admin. */
  readonly adminClaim: string;
  readonly adminValue: string;
}

/** Variables whose value may carry a password (OIDC_CLIENT_SECRET is one): named in errors, never echoed. */
const SECRET_VARIABLES = new Set(['SMTP_URL', 'DATABASE_URL', 'OIDC_CLIENT_SECRET']);

export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly sqliteFile: string;
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  readonly sqliteBusyTimeoutMs: number;
  /** Token digests handed over by infrastructure code; listed as managed by code. */
  readonly tokenHashes: readonly string[];
  readonly metricsTokenHashes: readonly string[];
  readonly publicUrl?: string;
  readonly logLevel: string;
  readonly bodyLimitBytes: number;
  /** Requests per minute per credential; 0 disables rate limiting. */
  readonly rateLimitPerMinute: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly trustProxy: boolean;
  readonly shutdownTimeoutMs: number;
  /** URN of the custom-attribute extension (Okta's "external namespace"). */
  readonly extensionUrn: string;
  /** Path of the receiver configuration file (settings and attributes managed by code). */
  readonly receiverConfigFile?: string;
  /** The same content inline (containers without a file mount); exclusive with receiverConfigFile. */
  readonly receiverConfigJson?: string;
  readonly adminKeyHashes: readonly string[];
  /** SMTP URL, kept out of logs (it may carry credentials). */
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly invitationLinkTtlSeconds: number;
  readonly invitationMaxAttempts: number;
  readonly invitationRetryBaseMs: number;
  readonly invitationPollMs: number;
  /** Activity log entries older than this many days are deleted; 0 keeps everything. */
  readonly activityRetentionDays: number;
  /** PostgreSQL instead of the SQLite file (DATABASE_URL); several replicas can share it. */
  readonly database?: DatabaseSettings;
  readonly limits: ReceiverLimits;
  /** Responses at least this large are compressed when the client accepts gzip, br or deflate; 0 disables. */
  readonly compressionMinBytes: number;
  /** The portal account created on a first start (its password is printed once). */
  readonly portalAdminUsername: string;
  readonly portalSessionIdleSeconds: number;
  readonly portalSessionMaxSeconds: number;
  /** Failed sign-ins per account and client address before a lock of portalLoginLockSeconds. */
  readonly portalLoginMaxAttempts: number;
  readonly portalLoginLockSeconds: number;
  /** Set when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are. */
  readonly oidc?: OidcSettings;
}

export interface DatabaseSettings {
  /** Kept out of logs (it may carry a password). */
  readonly url: string;
  readonly poolSize: number;
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Overrides the URL's sslmode. */
  readonly sslMode?: SslMode;
  /** Absolute path of a PEM CA file (overrides the URL's sslrootcert). */
  readonly sslCaFile?: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid receiver configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

/** Reads settings from environment variables, reporting every invalid variable at once. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const input = Object.fromEntries(Object.keys(Environment.shape).flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])));
  const parsed = Environment.safeParse(input);
  if (!parsed.success) {
    throw new SettingsError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        // SMTP_URL and DATABASE_URL may carry a password, OIDC_CLIENT_SECRET is one: never echo them.
        const got = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(input[name])})`;
        return `${name}: ${issue.message}${got}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.RECEIVER_CONFIG && e.RECEIVER_CONFIG_JSON) {
    throw new SettingsError(['RECEIVER_CONFIG_JSON: set either RECEIVER_CONFIG (a file) or RECEIVER_CONFIG_JSON (its content), not both']);
  }
  if (e.SCIM_DEFAULT_PAGE_SIZE > e.SCIM_MAX_PAGE_SIZE) {
    throw new SettingsError([`SCIM_DEFAULT_PAGE_SIZE: must not exceed SCIM_MAX_PAGE_SIZE (${e.SCIM_MAX_PAGE_SIZE})`]);
  }
  const problems: string[] = [];
  if (e.SCIM_MAX_IDENTIFIER_LENGTH > e.SCIM_MAX_STRING_LENGTH) {
    problems.push(`SCIM_MAX_IDENTIFIER_LENGTH: must not exceed SCIM_MAX_STRING_LENGTH (${e.SCIM_MAX_STRING_LENGTH})`);
  }
  if (e.SCIM_MAX_STRING_LENGTH > e.SCIM_MAX_RESOURCE_BYTES) {
    problems.push(`SCIM_MAX_STRING_LENGTH: must not exceed SCIM_MAX_RESOURCE_BYTES (${e.SCIM_MAX_RESOURCE_BYTES})`);
  }
  if (problems.length > 0) throw new SettingsError(problems);
  const oidc = oidcSettings(e);
  const database = databaseSettings(e);
  return {
    port: e.PORT,
    host: e.HOST,
    sqliteFile: resolve(e.SQLITE_FILE ?? `${e.DATA_DIR}/receiver.db`),
    sqliteSynchronous: e.SQLITE_SYNCHRONOUS,
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    tokenHashes: e.SCIM_TOKEN_SHA256 ?? [],
    metricsTokenHashes: e.METRICS_TOKEN_SHA256 ?? [],
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL } : {}),
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    defaultPageSize: e.SCIM_DEFAULT_PAGE_SIZE,
    maxPageSize: e.SCIM_MAX_PAGE_SIZE,
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    extensionUrn: e.SCIM_EXTENSION_URN,
    ...(e.RECEIVER_CONFIG ? { receiverConfigFile: resolve(e.RECEIVER_CONFIG) } : {}),
    ...(e.RECEIVER_CONFIG_JSON ? { receiverConfigJson: e.RECEIVER_CONFIG_JSON } : {}),
    adminKeyHashes: e.ADMIN_API_KEY_SHA256 ?? [],
    ...(e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : {}),
    mailFrom: e.MAIL_FROM,
    invitationLinkTtlSeconds: e.INVITATION_LINK_TTL_SECONDS,
    invitationMaxAttempts: e.INVITATION_MAX_ATTEMPTS,
    invitationRetryBaseMs: e.INVITATION_RETRY_BASE_MS,
    invitationPollMs: e.INVITATION_POLL_MS,
    activityRetentionDays: e.ACTIVITY_RETENTION_DAYS,
    ...(database ? { database } : {}),
    limits: {
      filter: {
        maxLength: e.SCIM_FILTER_MAX_LENGTH,
        maxTerms: e.SCIM_FILTER_MAX_TERMS,
        maxDepth: e.SCIM_FILTER_MAX_DEPTH,
        maxValuePaths: e.SCIM_FILTER_MAX_VALUE_PATHS,
      },
      queryTimeLimitMs: e.SCIM_QUERY_TIME_LIMIT_MS,
      values: {
        maxIdentifierLength: e.SCIM_MAX_IDENTIFIER_LENGTH,
        maxStringLength: e.SCIM_MAX_STRING_LENGTH,
        maxValues: e.SCIM_MAX_VALUES,
        maxResourceBytes: e.SCIM_MAX_RESOURCE_BYTES,
      },
      maxResponseBytes: e.SCIM_MAX_RESPONSE_BYTES,
    },
    compressionMinBytes: e.COMPRESSION_MIN_BYTES,
    portalAdminUsername: e.PORTAL_ADMIN_USERNAME,
    portalSessionIdleSeconds: e.PORTAL_SESSION_IDLE_SECONDS,
    portalSessionMaxSeconds: e.PORTAL_SESSION_MAX_SECONDS,
    portalLoginMaxAttempts: e.PORTAL_LOGIN_MAX_ATTEMPTS,
    portalLoginLockSeconds: e.PORTAL_LOGIN_LOCK_SECONDS,
    ...(oidc ? { oidc } : {}),
  };
}

/** The OIDC_* variables go together: every missing or contradictory one is reported at once. */
function oidcSettings(e: z.infer<typeof Environment>): OidcSettings | undefined {
  const core = { OIDC_ISSUER: e.OIDC_ISSUER, OIDC_CLIENT_ID: e.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET };
  const others = [e.OIDC_REDIRECT_URL, e.OIDC_ADMIN_GROUP, e.OIDC_ADMIN_CLAIM, e.OIDC_ADMIN_VALUE];
  const set = Object.entries(core).filter(([, v]) => v !== undefined);
  if (set.length === 0) {
    if (others.some((v) => v !== undefined)) throw new SettingsError(['OIDC_ISSUER: the OIDC_* settings need OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET']);
    return undefined;
  }
  const problems = Object.entries(core)
    .filter(([, v]) => v === undefined)
    .map(([name]) => `${name}: required when ${set.map(([n]) => n).join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (sign-in with Okta needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET)`);
  if (e.OIDC_ADMIN_GROUP !== undefined && (e.OIDC_ADMIN_CLAIM !== undefined || e.OIDC_ADMIN_VALUE !== undefined)) {
    problems.push('OIDC_ADMIN_GROUP: set either OIDC_ADMIN_GROUP (a group in the "groups" claim) or OIDC_ADMIN_CLAIM and OIDC_ADMIN_VALUE, not both');
  } else if (e.OIDC_ADMIN_GROUP === undefined && e.OIDC_ADMIN_VALUE === undefined) {
    problems.push('OIDC_ADMIN_GROUP: required with OIDC_ISSUER: the Okta group whose members are portal admins (or OIDC_ADMIN_CLAIM and OIDC_ADMIN_VALUE)');
  }
  const redirectUrl = e.OIDC_REDIRECT_URL ?? (e.PUBLIC_URL ? `${e.PUBLIC_URL}${OIDC_CALLBACK_PATH}` : undefined);
  if (redirectUrl === undefined) problems.push(`OIDC_REDIRECT_URL: required when PUBLIC_URL is not set (the address Okta sends the browser back to, ending in ${OIDC_CALLBACK_PATH})`);
  if (problems.length > 0) throw new SettingsError(problems);
  return {
    issuer: e.OIDC_ISSUER!,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    redirectUrl: redirectUrl!,
    scopes: e.OIDC_SCOPES,
    adminClaim: e.OIDC_ADMIN_GROUP !== undefined ? 'groups' : (e.OIDC_ADMIN_CLAIM ?? 'groups'),
    adminValue: e.OIDC_ADMIN_GROUP ?? e.OIDC_ADMIN_VALUE!,
  };
}

/** The PostgreSQL settings, checked together (every problem reported at once). */
function databaseSettings(e: z.infer<typeof Environment>): DatabaseSettings | undefined {
  const problems: string[] = [];
  if (!e.DATABASE_URL) {
    for (const name of ['DATABASE_SSL_MODE', 'DATABASE_SSL_CA_FILE'] as const) {
      if (e[name] !== undefined) problems.push(`${name}: only applies with DATABASE_URL (PostgreSQL), which is not set`);
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return undefined;
  }
  const url = new URL(e.DATABASE_URL);
  if (url.pathname.replace(/^\//, '') === '') problems.push('DATABASE_URL: name the database, e.g. postgres://scim@db.example.com:5432/scim');
  const urlMode = url.searchParams.get('sslmode');
  if (urlMode !== null && !(SSL_MODES as readonly string[]).includes(urlMode)) {
    problems.push(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')} (got "${urlMode}")`);
  }
  const mode = e.DATABASE_SSL_MODE ?? urlMode ?? 'disable';
  const caFile = e.DATABASE_SSL_CA_FILE ?? url.searchParams.get('sslrootcert') ?? undefined;
  if (caFile !== undefined) {
    try {
      accessSync(resolve(caFile), constants.R_OK);
    } catch {
      problems.push(`${e.DATABASE_SSL_CA_FILE ? 'DATABASE_SSL_CA_FILE' : 'DATABASE_URL (sslrootcert)'}: cannot read the CA file ${JSON.stringify(resolve(caFile))}`);
    }
  }
  if (mode === 'verify-ca' && caFile === undefined) problems.push('DATABASE_SSL_CA_FILE: sslmode verify-ca needs the CA certificate file');
  if (problems.length > 0) throw new SettingsError(problems);
  return {
    url: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    ...(e.DATABASE_SSL_MODE ? { sslMode: e.DATABASE_SSL_MODE } : {}),
    ...(e.DATABASE_SSL_CA_FILE ? { sslCaFile: resolve(e.DATABASE_SSL_CA_FILE) } : {}),
  };
}
