import type { ListQuery, ResolvedFilter } from '../../schema/query';
import type { BoundedRows } from './shared';
import { totalOf } from './shared';

/** A stable text for a filter's structure and values (attribute definitions reduced to their names). */
export function filterFingerprint(filter: ResolvedFilter | undefined): string {
  if (!filter) return '';
  switch (filter.kind) {
    case 'and':
    case 'or':
      return `(${filter.filters.map(filterFingerprint).join(` ${filter.kind} `)})`;
    case 'not':
      return `not ${filterFingerprint(filter.filter)}`;
    case 'valuePath':
      return `${filter.attr.schema}:${filter.attr.attribute.name}[${filterFingerprint(filter.filter)}]`;
    case 'present':
    case 'compare': {
      const a = filter.attr;
      const name = `${a.schema}:${a.attribute.name}${a.subAttribute ? `.${a.subAttribute.name}` : ''}`;
      return filter.kind === 'present' ? `${name} pr` : `${name} ${filter.op} ${JSON.stringify(filter.value)}`;
    }
  }
}

/**
 * Remembers where sequential pages end, so that the page starting at N+count after a page that ended
 * at row `seq` is read with `seq > ?` instead of skipping N rows with OFFSET: an import of 100,000
 * users at count=100 is then linear instead of quadratic. Only for the default (insertion) order.
 * Rows deleted between two requests shift later pages by at most the number deleted, never duplicating
 * a row, which RFC 7644 §3.4.2.4 allows for changing result sets.
 */
export class PageCursors {
  private readonly cursors = new Map<string, number>();

  constructor(private readonly capacity = 1000) {}

  private key(query: ListQuery, startIndex: number, scope: string): string {
    return `${scope}|${filterFingerprint(query.filter)}|${startIndex}`;
  }

  /**
   * The seq after which the page at `query.startIndex` begins, when a previous page ended right there.
   * `scope` distinguishes listings that differ other than by filter (e.g. an admin's creator filter).
   */
  find(query: ListQuery, scope = ''): number | undefined {
    if (query.sort || query.startIndex === 1) return undefined;
    return this.cursors.get(this.key(query, query.startIndex, scope));
  }

  /**
   * Reads the page `query` asks for: `fetch(after)` continues after a row (a known page end) or, with
   * `after` undefined, skips `startIndex - 1` rows; `count` answers the total when the page cannot.
   */
  async read<Row extends { seq: number }>(
    query: ListQuery,
    scope: string,
    fetch: (after: number | undefined) => Promise<BoundedRows<Row>>,
    count: () => Promise<number>,
  ): Promise<{ rows: Row[]; totalResults: number }> {
    const rows = await fetch(this.find(query, scope));
    this.remember(query, rows.length, rows.at(-1)?.seq, scope, rows.truncated === true);
    return { rows, totalResults: await totalOf(query, rows.length, count, rows.truncated === true) };
  }

  /** `truncated`: a byte budget ended the page early; the next page starts right after its last row. */
  remember(query: ListQuery, rows: number, lastSeq: number | undefined, scope = '', truncated = false): void {
    if (query.sort || lastSeq === undefined || (rows < query.count && !truncated)) return;
    const key = this.key(query, query.startIndex + rows, scope);
    this.cursors.delete(key);
    this.cursors.set(key, lastSeq);
    if (this.cursors.size > this.capacity) this.cursors.delete(this.cursors.keys().next().value as string);
  }
}
