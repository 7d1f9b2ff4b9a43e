import { z } from 'zod';
import type { AttributeDefinitionInput, AttributeDefinitionRecord, ScimStore } from '../store/types';
import type { DynamicSchemaCatalog } from './custom-schema';
import { customAttributeNameProblem } from '../schema/attribute-contract';
import { conflict, notFoundError } from './errors';
import { parse } from './validation';
import type { TemplatesService } from './templates-service';

export const ATTRIBUTE_TYPES = ['string', 'boolean', 'integer', 'decimal', 'dateTime', 'reference'] as const;

export const AttributeInput = z
  .object({
    name: z.string().trim().superRefine((name, ctx) => {
      const problem = customAttributeNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    displayName: z.string().trim().min(1).max(200).optional(),
    type: z.enum(ATTRIBUTE_TYPES).default('string'),
    multiValued: z.boolean().default(false),
    description: z.string().max(1000).default(''),
  })
  .strict();
export type AttributeInput = z.input<typeof AttributeInput>;

export const AttributeUpdate = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(1000).optional(),
  })
  .strict();

export interface AttributeView extends AttributeDefinitionRecord {
  /** `urn:…:<name>`: the SCIM path Okta's external namespace and name map to. */
  readonly scimPath: string;
  /** The `${…}` reference for templates. */
  readonly variable: string;
}

/** The custom-attribute registry: declared by code (configuration file) or by an admin ("IDP" attributes). */
export class AttributesService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: DynamicSchemaCatalog,
    private readonly templates: TemplatesService,
  ) {}

  /** Re-reads the registry into the live schema (/Schemas, validation, filters) without a restart. */
  async reload(): Promise<AttributeDefinitionRecord[]> {
    const records = await this.store.attributes.list();
    this.catalog.setCustomAttributes(records);
    return records;
  }

  private view(record: AttributeDefinitionRecord): AttributeView {
    return { ...record, scimPath: `${this.catalog.extensionUrn}:${record.name}`, variable: `\${${record.name}}` };
  }

  async list(): Promise<AttributeView[]> {
    return (await this.store.attributes.list()).map((r) => this.view(r));
  }

  private async find(name: string): Promise<AttributeDefinitionRecord | undefined> {
    return (await this.store.attributes.list()).find((r) => r.name.toLowerCase() === name.toLowerCase());
  }

  async get(name: string): Promise<AttributeView> {
    const record = await this.find(name);
    if (!record) throw notFoundError(`Attribute ${name} is not declared.`);
    return this.view(record);
  }

  async create(raw: unknown, actor: string): Promise<AttributeView> {
    const input = parse(AttributeInput, raw);
    if (await this.find(input.name)) throw conflict(`Attribute "${input.name}" is already declared.`, 'name');
    const record = await this.store.attributes.upsert(
      { ...input, displayName: input.displayName ?? input.name, origin: 'idp' },
      { actor, action: 'attribute.create', resourceType: 'Attribute', resourceId: input.name, summary: `Declared ${input.type} attribute "${input.name}"` },
    );
    await this.store.diagnostics.forgetUndeclared(this.catalog.extensionUrn, input.name);
    await this.reload();
    return this.view(record);
  }

  async update(name: string, raw: unknown, actor: string): Promise<AttributeView> {
    const change = parse(AttributeUpdate, raw);
    const existing = await this.find(name);
    if (!existing) throw notFoundError(`Attribute ${name} is not declared.`);
    if (existing.origin === 'code') throw managedByCode(existing.name);
    const record = await this.store.attributes.upsert(
      { ...existing, ...change },
      { actor, action: 'attribute.update', resourceType: 'Attribute', resourceId: existing.name, summary: `Updated attribute "${existing.name}"` },
    );
    await this.reload();
    return this.view(record);
  }

  /**
   * Deletes an admin-declared attribute and its values. Refused while templates reference it, unless
   * `force` (the templates then render it as missing).
   */
  async remove(name: string, force: boolean, actor: string): Promise<{ removedValues: number }> {
    const existing = await this.find(name);
    if (!existing) throw notFoundError(`Attribute ${name} is not declared.`);
    if (existing.origin === 'code') throw managedByCode(existing.name);
    const referencing = await this.templates.referencing(existing.name, this.catalog.extensionUrn);
    if (referencing.length > 0 && !force) {
      throw conflict(
        `Attribute "${existing.name}" is referenced by template(s) ${referencing.map((t) => `"${t.name}"`).join(', ')}; change them first or delete with force=true.`,
        'name',
        { templates: referencing.map((t) => ({ id: t.id, name: t.name })) },
      );
    }
    await this.store.attributes.delete(existing.name, {
      actor,
      action: 'attribute.delete',
      resourceType: 'Attribute',
      resourceId: existing.name,
      summary: `Deleted attribute "${existing.name}"${referencing.length ? ` (forced; referenced by ${referencing.length} template(s))` : ''}`,
    });
    const removedValues = await this.store.users.removeExtensionValues(this.catalog.extensionUrn, existing.name);
    await this.reload();
    return { removedValues };
  }

  /**
   * Makes the registry's code-declared attributes match the configuration file: added or updated as
   * `code`; code attributes no longer in the file become admin (`idp`) attributes, so no value is lost.
   */
  async applyFromConfig(definitions: readonly Omit<AttributeDefinitionInput, 'origin'>[]): Promise<void> {
    const existing = await this.store.attributes.list();
    const wanted = new Set(definitions.map((d) => d.name.toLowerCase()));
    for (const definition of definitions) {
      const current = existing.find((e) => e.name.toLowerCase() === definition.name.toLowerCase());
      const next = { ...definition, origin: 'code' as const };
      if (
        current &&
        current.origin === 'code' &&
        current.name === next.name &&
        current.displayName === next.displayName &&
        current.type === next.type &&
        current.multiValued === next.multiValued &&
        current.description === next.description
      ) {
        continue;
      }
      await this.store.attributes.upsert(next, {
        actor: 'config',
        action: current ? 'attribute.update' : 'attribute.create',
        resourceType: 'Attribute',
        resourceId: next.name,
        summary: `${current ? 'Updated' : 'Declared'} ${next.type} attribute "${next.name}" from the configuration file`,
      });
      await this.store.diagnostics.forgetUndeclared(this.catalog.extensionUrn, next.name);
    }
    for (const record of existing) {
      if (record.origin !== 'code' || wanted.has(record.name.toLowerCase())) continue;
      await this.store.attributes.upsert(
        { ...record, origin: 'idp' },
        {
          actor: 'config',
          action: 'attribute.update',
          resourceType: 'Attribute',
          resourceId: record.name,
          summary: `Attribute "${record.name}" left the configuration file; it is now managed by admins`,
        },
      );
    }
    await this.reload();
  }
}

function managedByCode(name: string) {
  return conflict(`Attribute "${name}" is declared in the receiver configuration file (RECEIVER_CONFIG); change it there.`, 'name');
}
