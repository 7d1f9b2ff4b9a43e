import type { ActivityRecord, ScimStore } from '../store/types';

export interface ActivityQuery {
  readonly limit: number;
  /** Entries older than this sequence number (paging back). */
  readonly before?: number;
  /** Entries newer than this sequence number (live updates). */
  readonly after?: number;
  readonly resourceId?: string;
  /** An action prefix: `user`, `token.create`. */
  readonly action?: string;
}

/** The audit trail, newest first. */
export class ActivityService {
  constructor(private readonly store: ScimStore) {}

  async list(query: ActivityQuery): Promise<{ items: ActivityRecord[]; next?: number }> {
    const items = await this.store.activity.list({
      limit: query.limit,
      ...(query.before !== undefined ? { before: query.before } : {}),
      ...(query.resourceId ? { resourceId: query.resourceId } : {}),
      ...(query.action ? { action: query.action } : {}),
    });
    // Newer than `after`: the store pages backwards, so keep only the head (a live view asks often, with small gaps).
    const kept = query.after !== undefined ? items.filter((i) => i.seq > query.after!) : items;
    return { items: kept, ...(kept.length === query.limit ? { next: kept[kept.length - 1]!.seq } : {}) };
  }
}
