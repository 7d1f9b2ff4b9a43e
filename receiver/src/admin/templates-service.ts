import { z } from 'zod';
import type { JsonObject } from '../scim/attribute-values';
import { isPlainObject, primaryElement } from '../scim/attribute-values';
import type { SchemaCatalog } from '../schema/resource-types';
import { COMMON_ATTRIBUTES } from '../schema/resource-types';
import type { AttributeDefinition } from '../schema/schema-definitions';
import { UniqueViolationError } from '../store/errors';
import type { ScimStore, TemplateRecord, UserRecord } from '../store/types';
import { badRequest, conflict, notFoundError } from './errors';

/** `${name}`: a variable reference in a template field. */
const REFERENCE = /\$\{([^}]*)\}/g;

export const TemplateInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  fields: z
    .record(z.string().trim().min(1).max(200), z.string().max(10_000))
    .refine((fields) => Object.keys(fields).length > 0, 'needs at least one field'),
});
export type TemplateInput = z.infer<typeof TemplateInput>;

type Resolver = (data: JsonObject) => string | undefined;

interface Variable {
  readonly name: string;
  readonly resolve: Resolver;
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const parts = value.map(scalar).filter((v): v is string => v !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  if (typeof value === 'object') return undefined;
  return String(value);
}

function variablesOf(attribute: AttributeDefinition, container: (data: JsonObject) => JsonObject | undefined, prefix = ''): Variable[] {
  const name = `${prefix}${attribute.name}`;
  const at = (data: JsonObject) => container(data)?.[attribute.name];
  if (attribute.mutability === 'writeOnly' || attribute.name === 'groups' || attribute.name === 'meta') return [];
  if (attribute.type !== 'complex') return [{ name, resolve: (d) => scalar(at(d)) }];
  const subs = attribute.subAttributes ?? [];
  if (attribute.multiValued) {
    // `${emails}` is the primary (or first) e-mail; `${addresses.locality}` a sub-attribute of the primary address.
    const out: Variable[] = [];
    if (subs.some((s) => s.name === 'value')) out.push({ name, resolve: (d) => scalar(primaryElement(at(d))?.value) });
    for (const sub of subs) {
      if (sub.name === 'primary') continue;
      out.push({ name: `${name}.${sub.name}`, resolve: (d) => scalar(primaryElement(at(d))?.[sub.name]) });
    }
    return out;
  }
  return subs.map((sub) => ({
    name: `${name}.${sub.name}`,
    resolve: (d) => {
      const object = at(d);
      return isPlainObject(object) ? scalar(object[sub.name]) : undefined;
    },
  }));
}

/** `${attribute}` configuration templates, validated against the live schema and rendered per user. */
export class TemplatesService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: SchemaCatalog,
  ) {}

  /** Every variable a template may use, by lower-cased name (bare and URN-qualified for extensions). */
  variables(): Map<string, Variable> {
    const type = this.catalog.resourceType('User');
    const out = new Map<string, Variable>();
    const add = (variable: Variable) => out.set(variable.name.toLowerCase(), variable);
    for (const attribute of [...COMMON_ATTRIBUTES, ...type.schema.attributes]) {
      for (const v of variablesOf(attribute, (d) => d)) add(v);
    }
    for (const extension of type.extensions) {
      const container = (d: JsonObject) => (isPlainObject(d[extension.id]) ? (d[extension.id] as JsonObject) : undefined);
      for (const attribute of extension.attributes) {
        for (const v of variablesOf(attribute, container)) {
          add(v);
          add({ name: `${extension.id}:${v.name}`, resolve: v.resolve });
        }
      }
    }
    return out;
  }

  /** The variable names a set of fields references, in order of first use. */
  static references(fields: Readonly<Record<string, string>>): string[] {
    const names: string[] = [];
    for (const value of Object.values(fields)) {
      for (const match of value.matchAll(REFERENCE)) {
        const name = (match[1] ?? '').trim();
        if (!names.includes(name)) names.push(name);
      }
    }
    return names;
  }

  private check(input: TemplateInput): void {
    const known = this.variables();
    const unknown = TemplatesService.references(input.fields).filter((name) => !known.has(name.toLowerCase()));
    if (unknown.length > 0) {
      throw badRequest(`Unknown variable(s): ${unknown.map((n) => `\${${n}}`).join(', ')}.`, 'fields', { unknownVariables: unknown });
    }
  }

  list(): Promise<TemplateRecord[]> {
    return this.store.templates.list();
  }

  async get(id: string): Promise<TemplateRecord> {
    const template = await this.store.templates.get(id);
    if (!template) throw notFoundError(`Template ${id} not found.`);
    return template;
  }

  async create(input: TemplateInput, actor: string): Promise<TemplateRecord> {
    this.check(input);
    try {
      return await this.store.templates.insert(input, { actor, action: 'template.create', resourceType: 'Template', summary: `Created template "${input.name}"` });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw conflict(`A template named "${input.name}" already exists.`, 'name');
      throw error;
    }
  }

  async update(id: string, input: TemplateInput, actor: string): Promise<TemplateRecord> {
    this.check(input);
    let updated: TemplateRecord | undefined;
    try {
      updated = await this.store.templates.update(id, input, { actor, action: 'template.update', resourceType: 'Template', resourceId: id, summary: `Updated template "${input.name}"` });
    } catch (error) {
      if (error instanceof UniqueViolationError) throw conflict(`A template named "${input.name}" already exists.`, 'name');
      throw error;
    }
    if (!updated) throw notFoundError(`Template ${id} not found.`);
    return updated;
  }

  async remove(id: string, actor: string): Promise<void> {
    const template = await this.get(id);
    await this.store.templates.delete(id, { actor, action: 'template.delete', resourceType: 'Template', resourceId: id, summary: `Deleted template "${template.name}"` });
  }

  /** Templates whose fields reference the attribute `name` (bare or URN-qualified). */
  async referencing(name: string, urn: string): Promise<TemplateRecord[]> {
    const targets = new Set([name.toLowerCase(), `${urn}:${name}`.toLowerCase()]);
    const isTarget = (ref: string) => {
      const lower = ref.toLowerCase();
      return targets.has(lower) || [...targets].some((t) => lower.startsWith(`${t}.`));
    };
    return (await this.store.templates.list()).filter((t) => TemplatesService.references(t.fields).some(isTarget));
  }

  /** The template's fields with the user's values substituted; variables without a value become "". */
  async render(templateId: string, user: UserRecord): Promise<{ template: TemplateRecord; fields: Record<string, string>; missing: string[] }> {
    const template = await this.get(templateId);
    const variables = this.variables();
    const data: JsonObject = { ...user.data, id: user.id };
    const missing: string[] = [];
    const fields: Record<string, string> = {};
    for (const [field, text] of Object.entries(template.fields)) {
      fields[field] = text.replace(REFERENCE, (_whole, raw: string) => {
        const name = raw.trim();
        const variable = variables.get(name.toLowerCase());
        // A variable can disappear after the template was saved (an attribute deleted with force).
        const value = variable?.resolve(data);
        if (value === undefined && !missing.includes(name)) missing.push(name);
        return value ?? '';
      });
    }
    return { template, fields, missing };
  }
}
