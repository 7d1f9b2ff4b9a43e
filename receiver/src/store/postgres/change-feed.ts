import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ClientConfig, Notification } from 'pg';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Tables } from '../sql/tables';
import type { ChangeFeed, ChangeTopic } from '../types';
import { CHANGE_CHANNEL } from './migrations';

const TOPICS: readonly ChangeTopic[] = ['tokens', 'settings', 'attributes'];
const isTopic = (value: string): value is ChangeTopic => (TOPICS as readonly string[]).includes(value);

/**
 * LISTEN on one dedicated connection (outside the pool). Triggers notify after each commit that changes
 * a cached table, so other replicas reload within milliseconds. Notifications sent while this
 * connection was down are lost: after every (re)connect the per-topic versions are compared with the
 * last ones seen and the changed topics are reported then.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<(topic: ChangeTopic) => void>();
  private readonly seen = new Map<string, number>();
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 100;
  private closed = false;
  private connected = false;
  /** Set once a connection was lost: from then on every version difference is a missed change. */
  private hadGap = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly db: Kysely<Tables>,
    private readonly logger: Logger | undefined,
  ) {}

  subscribe(listener: (topic: ChangeTopic) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects once before the receiver serves; later failures reconnect in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    // No statement timeout on the listening session: it only waits.
    const { statement_timeout: _unused, ...config } = this.config;
    const client = new pg.Client(config);
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    client.on('notification', (message: Notification) => this.notified(message));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      await this.checkVersions();
    } catch (error) {
      this.lost(client, error);
      throw error;
    }
    this.connected = true;
    this.retryDelayMs = 100;
  }

  private notified(message: Notification): void {
    if (message.channel !== CHANGE_CHANNEL || !message.payload || !isTopic(message.payload)) return;
    this.emit(message.payload);
  }

  /** The version check: reports each topic whose version moved since last seen (all of them the first time after a gap). */
  private async checkVersions(): Promise<void> {
    const rows = await sql<{ topic: string; version: number }>`SELECT topic, version FROM change_versions`.execute(this.db);
    const first = this.seen.size === 0 && !this.hadGap;
    for (const row of rows.rows) {
      const before = this.seen.get(row.topic);
      this.seen.set(row.topic, Number(row.version));
      if (!first && before !== Number(row.version) && isTopic(row.topic)) this.emit(row.topic);
    }
  }

  private lost(client: pg.Client, error: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.closed) return;
    if (this.connected) this.logger?.warn({ err: error }, 'change notifications interrupted; reconnecting');
    this.connected = false;
    this.hadGap = true;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => this.logger?.info('change notifications resumed'),
        () => this.scheduleReconnect(),
      );
    }, this.retryDelayMs);
    this.retryTimer.unref();
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, 2000);
  }

  private emit(topic: ChangeTopic): void {
    for (const listener of this.listeners) {
      try {
        listener(topic);
      } catch (error) {
        this.logger?.error({ err: error, topic }, 'change listener failed');
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
