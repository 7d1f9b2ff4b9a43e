import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { customAttributeNameProblem } from './custom-schema';
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
      .default([])
      .superRefine((attributes, ctx) => {
        const seen = new Map<string, number>();
        attributes.forEach((a, i) => {
          const previous = seen.get(a.name.toLowerCase());
          if (previous !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicates attributes[${previous}] ("${a.name}")` });
          else seen.set(a.name.toLowerCase(), i);
        });
      }),
  })
  .strict();

export type ReceiverConfig = z.output<typeof ReceiverConfig>;

export class ReceiverConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid receiver configuration file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ReceiverConfigError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** Reads and validates the file, reporting every problem with its exact path. */
export function loadReceiverConfig(file: string): ReceiverConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ReceiverConfigError(file, [error instanceof Error ? error.message : String(error)]);
  }
  const parsed = ReceiverConfig.safeParse(raw);
  if (!parsed.success) {
    throw new ReceiverConfigError(
      file,
      parsed.error.issues.map((i) => `${pathText(i.path) || '(root)'}: ${i.message}`),
    );
  }
  return parsed.data;
}
