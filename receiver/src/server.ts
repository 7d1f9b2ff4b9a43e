import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { AccountsService } from './admin/accounts-service';
import type { AdminServices } from './admin/admin-services';
import { ActivityService } from './admin/activity-service';
import { AttributesService } from './admin/attributes-service';
import { DynamicSchemaCatalog } from './admin/custom-schema';
import { UNKNOWN_SCHEMA_ONLY } from './admin/diagnostics';
import { DiagnosticsService } from './admin/diagnostics-service';
import { DirectoryService } from './admin/directory-service';
import { InvitationsService, invitationTarget } from './admin/invitations-service';
import { loadReceiverConfig, parseReceiverConfig } from './admin/receiver-config';
import { OidcService } from './admin/oidc-service';
import { SessionsService } from './admin/sessions-service';
import { SettingsService } from './admin/settings-service';
import { TemplatesService } from './admin/templates-service';
import { TokensService } from './admin/tokens-service';
import { TokenVerifier, generateTokenSecret, sha256Hex } from './auth/tokens';
import { buildApp } from './http/app';
import { InvitationWorker } from './mail/invitation-worker';
import type { Mailer } from './mail/mailer';
import { Discovery } from './scim/discovery';
import { GroupsService } from './scim/groups-service';
import type { ProvisioningPolicy, ServiceLimits } from './scim/users-service';
import { UsersService } from './scim/users-service';
import type { Settings } from './settings';
import { openStore } from './store/open-store';
import { redactedUrl } from './store/postgres/database-url';
import type { ChangeTopic, CredentialKind, ScimStore } from './store/types';
import type { Clock } from './time/clock';
import { isoTime, systemClock } from './time/clock';

export interface RunningReceiver {
  readonly app: FastifyInstance;
  readonly store: ScimStore;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly scimBaseUrl: string;
  /** Runs one pass of the invitation outbox now (tests, operations); 0 when SMTP is not configured. */
  sendInvitations(): Promise<number>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Defence in depth: request serializers do not log headers, but nothing may ever print a token.
    // Portal session cookies and CSRF tokens are credentials too (http/portal/portal-plugin.ts).
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'req.headers.cookie',
        'headers.cookie',
        'res.headers["set-cookie"]',
        'headers["set-cookie"]',
        '*.password',
        'password',
        '*._csrf',
        '_csrf',
        '*.csrfToken',
      ],
      censor: '[redacted]',
    },
  });
}

/**
 * On a first start with no credential of `kind` configured, creates one and returns it for printing
 * once; only its hash is stored.
 */
async function bootstrapCredential(store: ScimStore, kind: CredentialKind, configuredHashes: readonly string[]): Promise<string | undefined> {
  if (configuredHashes.length > 0) return undefined;
  if ((await store.tokens.list(kind)).length > 0) return undefined;
  const secret = generateTokenSecret(kind);
  await store.tokens.insert(
    { label: kind === 'scim' ? 'bootstrap' : 'bootstrap admin key', sha256: sha256Hex(secret), kind },
    { actor: 'system', action: kind === 'scim' ? 'token.create' : 'admin-key.create', resourceType: 'Token', summary: `Created the ${kind === 'scim' ? 'bootstrap SCIM token' : 'bootstrap admin API key'} on first start` },
  );
  return secret;
}

const PRUNE_INTERVAL_MS = 6 * 3_600_000;

/**
 * Keeps the activity log to its retention: now, then every six hours. With several replicas the run
 * happens on one of them per period (store.jobs). Returns the timer, if any.
 */
function pruner(store: ScimStore, retentionDays: number, clock: Clock, logger: Logger): NodeJS.Timeout | undefined {
  if (retentionDays === 0) return undefined;
  const prune = async () => {
    const before = isoTime(clock, -retentionDays * 86_400_000);
    const deleted = await store.activity.prune(before);
    logger.info({ deleted, before }, 'activity retention ran');
  };
  const run = () => {
    // A minute of slack: a replica whose timer fires just before the period ends still skips.
    const job = store.jobs
      ? store.jobs.runExclusive('activity-retention', PRUNE_INTERVAL_MS - 60_000, prune).then((ran) => {
          if (!ran) logger.info('activity retention skipped: another replica runs it this period');
        })
      : prune();
    job.catch((error: unknown) => logger.error({ err: error }, 'pruning the activity log failed'));
  };
  run();
  const timer = setInterval(run, PRUNE_INTERVAL_MS);
  timer.unref();
  return timer;
}

/** Another replica changed something this one caches: reload it (errors are logged, the old copy stays). */
function followChanges(store: ScimStore, reloaders: Record<ChangeTopic, () => Promise<unknown>>, logger: Logger): (() => void) | undefined {
  return store.changes?.subscribe((topic) => {
    reloaders[topic]().catch((error: unknown) => logger.error({ err: error, topic }, 'reloading after a change on another replica failed'));
  });
}

export interface StartOptions {
  /** Where the start-up lines go (URLs, secrets shown once). */
  readonly print: (line: string) => void;
  readonly logger?: Logger;
  /** The receiver's one clock, handed to everything that reads the time (default: the system clock; tests pass one they move). */
  readonly clock?: Clock;
}

export async function startReceiver(
  settings: Settings,
  output: StartOptions = { print: (line) => process.stdout.write(`${line}\n`) },
): Promise<RunningReceiver> {
  const logger = output.logger ?? createLogger(settings.logLevel);
  const clock = output.clock ?? systemClock;
  // Read the configuration file before touching the database: a bad file changes nothing.
  const receiverConfig = settings.receiverConfigFile
    ? loadReceiverConfig(settings.receiverConfigFile)
    : settings.receiverConfigJson
      ? parseReceiverConfig(settings.receiverConfigJson, 'RECEIVER_CONFIG_JSON')
      : undefined;
  const store = await openStore(settings, clock, logger.child({ component: 'store' }));
  let mailer: Mailer | undefined;
  try {
    const catalog = new DynamicSchemaCatalog(settings.extensionUrn);
    const templates = new TemplatesService(store, catalog);
    const attributes = new AttributesService(store, catalog, templates);
    const provisioningSettings = new SettingsService(store);
    await provisioningSettings.reload();
    await attributes.reload();
    await provisioningSettings.applyManaged(receiverConfig?.settings ?? {});
    await attributes.applyFromConfig(receiverConfig?.attributes.map((a) => ({ ...a, displayName: a.displayName ?? a.name })) ?? []);

    const scimBootstrap = await bootstrapCredential(store, 'scim', settings.tokenHashes);
    const adminBootstrap = await bootstrapCredential(store, 'admin', settings.adminKeyHashes);
    const verifier = new TokenVerifier(store.tokens, 'scim', settings.tokenHashes, clock);
    const adminVerifier = new TokenVerifier(store.tokens, 'admin', settings.adminKeyHashes, clock);
    await verifier.reload();
    await adminVerifier.reload();
    const stopFollowing = followChanges(
      store,
      {
        tokens: () => Promise.all([verifier.reload(), adminVerifier.reload()]),
        settings: () => provisioningSettings.reload(),
        attributes: () => attributes.reload(),
      },
      logger,
    );

    // nodemailer loads only when SMTP is configured (start-up time: it is a large module tree).
    mailer = settings.smtpUrl ? (await import('./mail/mailer')).smtpMailer(settings.smtpUrl, settings.mailFrom) : undefined;
    const publicBase = settings.publicUrl ?? `http://localhost:${settings.port}`;
    const worker = mailer
      ? new InvitationWorker(
          store.invitations,
          mailer,
          {
            publicUrl: publicBase,
            pollIntervalMs: settings.invitationPollMs,
            maxAttempts: settings.invitationMaxAttempts,
            retryBaseMs: settings.invitationRetryBaseMs,
            linkTtlSeconds: settings.invitationLinkTtlSeconds,
          },
          logger.child({ component: 'invitations' }),
          clock,
        )
      : undefined;
    const invitations = new InvitationsService(store, mailer !== undefined, () => worker?.wake(), clock);
    const tokens = new TokensService(store, verifier, settings.tokenHashes);
    const directory = new DirectoryService(store, catalog, tokens, invitations, settings.limits);
    const activity = new ActivityService(store);
    const diagnostics = new DiagnosticsService(store, catalog, tokens, invitations, mailer !== undefined);
    const accounts = new AccountsService(store, { maxAttempts: settings.portalLoginMaxAttempts, lockSeconds: settings.portalLoginLockSeconds }, clock);
    const sessions = new SessionsService(store, { idleSeconds: settings.portalSessionIdleSeconds, absoluteSeconds: settings.portalSessionMaxSeconds }, clock);
    const portalBootstrap = await accounts.bootstrap(settings.portalAdminUsername);
    const oidc = settings.oidc ? new OidcService(settings.oidc, store, sessions, clock) : undefined;

    const policy: ProvisioningPolicy = {
      invitationAddress: (data) => (provisioningSettings.current.autoInvite ? invitationTarget(data) : undefined),
      invitationQueued: () => worker?.wake(),
      reportUnknownUrns: (urns, userName, actor) => {
        logger.warn({ urns: urns.map((u) => u.urn), userName }, 'ignored attributes under unknown schema URNs');
        void (async () => {
          for (const { urn, attributes } of urns) {
            await store.diagnostics.recordUndeclared(urn, attributes.length > 0 ? attributes : [UNKNOWN_SCHEMA_ONLY], userName);
            await store.activity.append({
              actor,
              action: 'user.unknown-schema',
              resourceType: 'User',
              summary: `${userName}: accepted, but ignored ${attributes.length > 0 ? `attribute(s) ${attributes.join(', ')} under` : 'the schema'} ${urn}, which the receiver does not know (its extension is ${settings.extensionUrn}; see /api/diagnostics)`,
            });
          }
        })().catch((error: unknown) => logger.error({ err: error }, 'recording unknown schema URNs failed'));
      },
      reportUndeclared: (undeclared, userName, actor) => {
        logger.warn({ undeclared, userName }, 'ignored attributes that the receiver does not declare');
        const byUrn = new Map<string, string[]>();
        for (const u of undeclared) byUrn.set(u.urn, [...(byUrn.get(u.urn) ?? []), u.name]);
        void (async () => {
          for (const [urn, names] of byUrn) {
            await store.diagnostics.recordUndeclared(urn, names, userName);
            await store.activity.append({
              actor,
              action: 'user.undeclared-attributes',
              resourceType: 'User',
              summary: `${userName}: ignored undeclared attribute(s) ${names.join(', ')} under ${urn}`,
            });
          }
        })().catch((error: unknown) => logger.error({ err: error }, 'recording undeclared attributes failed'));
      },
    };

    const adminServices: AdminServices = {
      catalog,
      directory,
      activity,
      diagnostics,
      settings: provisioningSettings,
      attributes,
      templates,
      tokens,
      invitations,
    };
    const serviceLimits: ServiceLimits = {
      defaultCount: settings.defaultPageSize,
      maxCount: settings.maxPageSize,
      filter: settings.limits.filter,
      values: settings.limits.values,
      maxResponseBytes: settings.limits.maxResponseBytes,
      queryTimeLimitMs: settings.limits.queryTimeLimitMs,
    };
    const app = await buildApp({
      logger,
      bodyLimitBytes: settings.bodyLimitBytes,
      compressionMinBytes: settings.compressionMinBytes,
      trustProxy: settings.trustProxy,
      scim: {
        verifier,
        users: new UsersService(store, catalog, serviceLimits, policy),
        groups: new GroupsService(store, catalog, serviceLimits),
        discovery: new Discovery(catalog, { maxResults: settings.maxPageSize, maxPayloadSize: settings.bodyLimitBytes }),
        catalog,
        rateLimitPerMinute: settings.rateLimitPerMinute,
        ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
      },
      operations: { ready: () => store.ping(), metricsTokenHashes: settings.metricsTokenHashes },
      admin: { verifier: adminVerifier, ...adminServices },
      portal: {
        ...adminServices,
        accounts,
        sessions,
        ...(oidc ? { oidc } : {}),
        smtpConfigured: mailer !== undefined,
        ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
        port: settings.port,
      },
    });
    await app.listen({ port: settings.port, host: settings.host });
    worker?.start();
    const pruneActivity = pruner(store, settings.activityRetentionDays, clock, logger);
    const pruneSessions = setInterval(() => {
      sessions.prune().catch((error: unknown) => logger.error({ err: error }, 'pruning portal sessions failed'));
    }, 600_000);
    pruneSessions.unref();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const shownHost = settings.host === '0.0.0.0' || settings.host === '::' || settings.host === '127.0.0.1' ? 'localhost' : settings.host;
    const url = settings.publicUrl ?? `http://${shownHost}:${port}`;
    const scimBaseUrl = `${url}/scim/v2`;
    output.print(`SCIM base URL: ${scimBaseUrl}`);
    if (scimBootstrap) {
      output.print(`SCIM bearer token (shown once; only its SHA-256 is stored): ${scimBootstrap}`);
    } else {
      output.print(`SCIM tokens: ${verifier.count} active (${settings.tokenHashes.length} from SCIM_TOKEN_SHA256)`);
    }
    output.print(`Admin portal: ${url}/admin`);
    if (portalBootstrap) {
      output.print(`Admin portal account (shown once; only its scrypt hash is stored): ${portalBootstrap.account.username} / ${portalBootstrap.password}`);
    }
    if (settings.oidc) output.print(`Admin portal sign-in with Okta: ${settings.oidc.issuer} (redirect URI ${settings.oidc.redirectUrl})`);
    if (adminBootstrap) output.print(`Admin API key for ${url}/api (shown once; only its SHA-256 is stored): ${adminBootstrap}`);
    if (!mailer) output.print('Invitations: SMTP_URL is not set; invitations stay pending until it is.');
    const storeInfo = settings.database ? { database: redactedUrl(settings.database.url) } : { sqliteFile: settings.sqliteFile };
    logger.info({ ...storeInfo, port, extensionUrn: settings.extensionUrn }, 'receiver started');
    const openedMailer = mailer;
    return {
      app,
      store,
      url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`,
      scimBaseUrl,
      sendInvitations: async () => (worker ? worker.runNow() : 0),
      close: async () => {
        if (pruneActivity) clearInterval(pruneActivity);
        stopFollowing?.();
        clearInterval(pruneSessions);
        await worker?.stop();
        await app.close();
        openedMailer?.close();
        await store.close();
      },
    };
  } catch (error) {
    mailer?.close();
    await store.close();
    throw error;
  }
}
