import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { customAttributeNameProblem } from '../schema/attribute-contract';
import { ATTRIBUTE_TYPES } from './attributes-service';

/**
 * The receiver configuration file (RECEIVER_CONFIG): provisioning settings and custom attributes
 * declared by code. Infrastructure code writes it from the same list that declares the Okta app's
 * attributes, so both sides stay in step.
 */
export const ReceiverConfig = z
  .object({
    settings: z
      .object({ autoInvite: z.boolean().optional() })
      .strict()
      .default({}),
    attributes: z
      .array(
        z
          .object({
            name: z.string().superRefine((name, ctx) => {
              const problem = customAttributeNameProblem(name);
              if (problem) ctx.addIssue({ code: 'custom', message: problem });
            }),
            displayName: z.string().min(1).max(200).optional(),
            type: z.enum(ATTRIBUTE_TYPES).default('string'),
            multiValued: z.boolean().default(false),
            description: z.string().max(1000).default(''),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/**
 * Duplicate names, checked on the raw input: zod skips refinements of an array whose items have
 * problems, and every problem should be reported at once.
 */
function duplicateNames(raw: unknown): string[] {
  const attributes = (raw as { attributes?: unknown } | null)?.attributes;
  if (!Array.isArray(attributes)) return [];
  const seen = new Map<string, number>();
  const problems: string[] = [];
  attributes.forEach((a: unknown, i) => {
    const name = (a as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const previous = seen.get(name.toLowerCase());
    if (previous !== undefined) problems.push(`attributes[${i}].name: duplicates attributes[${previous}] ("${name}")`);
    else seen.set(name.toLowerCase(), i);
  });
  return problems;
}

export type ReceiverConfig = z.output<typeof ReceiverConfig>;

export class ReceiverConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid receiver configuration ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ReceiverConfigError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Reads and validates the file, reporting every problem with its exact path. */
export function loadReceiverConfig(file: string): ReceiverConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReceiverConfigError(file, [error instanceof Error ? error.message : String(error)]);
  }
  return parseReceiverConfig(text, file);
}

/** Validates configuration content (RECEIVER_CONFIG_JSON, or a file's text); `source` names it in errors. */
export function parseReceiverConfig(text: string, source: string): ReceiverConfig {
  const file = source;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ReceiverConfigError(file, [error instanceof Error ? error.message : String(error)]);
  }
  const parsed = ReceiverConfig.safeParse(raw);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${pathText(i.path) || '(root)'}: ${i.message}`)), ...duplicateNames(raw)];
  if (problems.length > 0 || !parsed.success) throw new ReceiverConfigError(file, problems);
  return parsed.data;
}
