import type { z } from 'zod';
import { badRequest } from './errors';

/** zod parsing with the admin API's error shape: the first problem, its field path, all problems in details. */
export function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const first = issues[0]!;
  throw badRequest(`${first.field}: ${first.message}`, first.field, { issues });
}
