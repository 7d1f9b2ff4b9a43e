import { z } from 'zod';

/**
 * What the two admin surfaces accept, defined once: /api parses with these schemas and answers 400
 * naming the field (admin/validation.ts); the portal reads its query with `optionOf` and ignores a value
 * out of bounds, so a hand-edited URL shows the unfiltered page instead of an error.
 */
export const SearchText = z.string().trim().max(200);
export const ActiveStatus = z.enum(['active', 'inactive']);
export const ActivityAction = z.string().trim().max(100);
export const ResourceId = z.string().trim().max(200);

export const TokenCreate = z.object({ label: z.string().trim().min(1).max(100).default('SCIM token') }).strict();
export const TokenUpdate = z.object({ status: ActiveStatus }).strict();

/** A query or form value for a portal page: the first when repeated; undefined when absent, empty or out of bounds. */
export function optionOf<T extends z.ZodType>(schema: T, source: unknown, name: string): z.output<T> | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  const parsed = schema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success && parsed.data !== '' ? parsed.data : undefined;
}
