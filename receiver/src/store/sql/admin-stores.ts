import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { foldText } from '../../text/fold';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import { UniqueViolationError } from '../errors';
import type {
  ActivityInput,
  ActivityRecord,
  ActivityResource,
  ActivityStore,
  AttributeDefinitionInput,
  AttributeDefinitionRecord,
  AttributeStore,
  AttributeValueType,
  DiagnosticsStore,
  SettingRecord,
  SettingsStore,
  TemplateRecord,
  TemplateStore,
  UndeclaredAttributeRecord,
} from '../types';
import type { SqlStoreDialect } from './dialect';
import { deleteRecorded, insertActivity } from './shared';
import type { AttributeDefinitionRow, Tables, TemplateRow } from './tables';

export class SqlAttributeStore implements AttributeStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AttributeDefinitionRecord[]> {
    const rows = await this.db.selectFrom('attribute_definitions').selectAll().orderBy('name_lower').execute();
    return rows.map(toAttribute);
  }

  async upsert(definition: AttributeDefinitionInput, activity?: ActivityInput): Promise<AttributeDefinitionRecord> {
    return this.db.transaction().execute(async (trx) => {
      const at = isoTime(this.clock);
      const existing = await trx.selectFrom('attribute_definitions').selectAll().where('name_lower', '=', definition.name.toLowerCase()).executeTakeFirst();
      const row: AttributeDefinitionRow = {
        name: definition.name,
        name_lower: definition.name.toLowerCase(),
        display_name: definition.displayName,
        type: definition.type,
        multi_valued: definition.multiValued ? 1 : 0,
        description: definition.description,
        origin: definition.origin,
        created: existing?.created ?? at,
        updated: at,
      };
      if (existing) await trx.deleteFrom('attribute_definitions').where('name', '=', existing.name).execute();
      await trx.insertInto('attribute_definitions').values(row).execute();
      await insertActivity(trx, activity, at);
      return toAttribute(row);
    });
  }

  async delete(name: string, activity?: ActivityInput): Promise<boolean> {
    return deleteRecorded(this.db, this.clock, activity, (trx) =>
      trx.deleteFrom('attribute_definitions').where('name_lower', '=', name.toLowerCase()).executeTakeFirst(),
    );
  }
}

function toAttribute(row: AttributeDefinitionRow): AttributeDefinitionRecord {
  return {
    name: row.name,
    displayName: row.display_name,
    type: row.type as AttributeValueType,
    multiValued: row.multi_valued === 1,
    description: row.description,
    origin: row.origin as 'code' | 'idp',
    created: row.created,
    updated: row.updated,
  };
}

export class SqlSettingsStore implements SettingsStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<SettingRecord[]> {
    const rows = await this.db.selectFrom('settings').selectAll().orderBy('key').execute();
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown, managed: r.managed === 1, updated: r.updated }));
  }

  async set(key: string, value: unknown, managed: boolean, activity?: ActivityInput): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const at = isoTime(this.clock);
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), managed: managed ? 1 : 0, updated: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), managed: managed ? 1 : 0, updated: at }))
        .execute();
      await insertActivity(trx, activity, at);
    });
  }

  async unmanageExcept(keys: readonly string[]): Promise<void> {
    let query = this.db.updateTable('settings').set({ managed: 0 });
    if (keys.length > 0) query = query.where('key', 'not in', keys);
    await query.execute();
  }
}

export class SqlTemplateStore implements TemplateStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<TemplateRecord[]> {
    return (await this.db.selectFrom('templates').selectAll().orderBy('name_lower').execute()).map(toTemplate);
  }

  async get(id: string): Promise<TemplateRecord | undefined> {
    const row = await this.db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTemplate(row) : undefined;
  }

  async insert(template: { name: string; fields: Record<string, string> }, activity?: ActivityInput): Promise<TemplateRecord> {
    const at = isoTime(this.clock);
    const row: TemplateRow = { id: randomUUID(), name: template.name, name_lower: foldText(template.name), fields: JSON.stringify(template.fields), created: at, updated: at };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('templates').values(row).execute();
        await insertActivity(trx, activity ? { ...activity, resourceId: row.id } : undefined, at);
      });
    } catch (error) {
      throw this.translate(error, template.name);
    }
    return toTemplate(row);
  }

  async update(id: string, template: { name: string; fields: Record<string, string> }, activity?: ActivityInput): Promise<TemplateRecord | undefined> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const at = isoTime(this.clock);
        const result = await trx
          .updateTable('templates')
          .set({ name: template.name, name_lower: foldText(template.name), fields: JSON.stringify(template.fields), updated: at })
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
        await insertActivity(trx, activity, at);
        return toTemplate(await trx.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      });
    } catch (error) {
      throw this.translate(error, template.name);
    }
  }

  async delete(id: string, activity?: ActivityInput): Promise<boolean> {
    return deleteRecorded(this.db, this.clock, activity, (trx) => trx.deleteFrom('templates').where('id', '=', id).executeTakeFirst());
  }

  private translate(error: unknown, name: string): unknown {
    return this.dialect.uniqueViolationColumn(error) === 'name_lower' ? new UniqueViolationError('name', name) : error;
  }
}

function toTemplate(row: TemplateRow): TemplateRecord {
  return { id: row.id, name: row.name, fields: JSON.parse(row.fields) as Record<string, string>, created: row.created, updated: row.updated };
}

export class SqlActivityStore implements ActivityStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async append(entry: ActivityInput): Promise<void> {
    await insertActivity(this.db, entry, isoTime(this.clock));
  }

  async prune(before: string): Promise<number> {
    // Entries are appended in time order, so the cut is a primary-key range, not a scan of `at`.
    const first = await this.db.selectFrom('activity').select('seq').where('at', '>=', before).orderBy('seq').limit(1).executeTakeFirst();
    let query = this.db.deleteFrom('activity');
    if (first) query = query.where('seq', '<', first.seq);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async list(options: { limit: number; before?: number; resourceId?: string; action?: string }): Promise<ActivityRecord[]> {
    let query = this.db.selectFrom('activity').selectAll().orderBy('seq', 'desc').limit(options.limit);
    if (options.before !== undefined) query = query.where('seq', '<', options.before);
    if (options.resourceId) query = query.where('resource_id', '=', options.resourceId);
    if (options.action) query = query.where('action', 'like', `${options.action.replace(/[%_\\]/g, '')}%`);
    return (await query.execute()).map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      resourceType: r.resource_type as ActivityResource,
      ...(r.resource_id ? { resourceId: r.resource_id } : {}),
      summary: r.summary,
    }));
  }
}

export class SqlDiagnosticsStore implements DiagnosticsStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async recordUndeclared(urn: string, names: readonly string[], userName: string): Promise<void> {
    const at = isoTime(this.clock);
    await this.db.transaction().execute(async (trx) => {
      for (const name of names) {
        await trx
          .insertInto('undeclared_attributes')
          .values({ urn, name, first_seen: at, last_seen: at, occurrences: 1, last_user: userName })
          .onConflict((oc) =>
            oc.columns(['urn', 'name']).doUpdateSet({ last_seen: at, last_user: userName, occurrences: sql`undeclared_attributes.occurrences + 1` }),
          )
          .execute();
      }
    });
  }

  async undeclared(): Promise<UndeclaredAttributeRecord[]> {
    const rows = await this.db.selectFrom('undeclared_attributes').selectAll().orderBy('last_seen', 'desc').execute();
    return rows.map((r) => ({
      urn: r.urn,
      name: r.name,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      occurrences: r.occurrences,
      ...(r.last_user ? { lastUser: r.last_user } : {}),
    }));
  }

  async forgetUndeclared(urn: string, name: string): Promise<void> {
    await this.db.deleteFrom('undeclared_attributes').where('urn', '=', urn).where(sql`lower(name)`, '=', name.toLowerCase()).execute();
  }
}
