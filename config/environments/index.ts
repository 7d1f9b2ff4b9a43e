import { readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { EnvironmentConfig, EnvironmentSource } from '../schema';
import { ConfigError, parseEnvironments } from '../schema';

/** The directory whose files are the environments. */
export const ENVIRONMENTS_DIRECTORY = __dirname;
const PROJECT_ROOT = resolve(__dirname, '../..');

/** Every environment file: each `*.ts` here but this one, in name order. Nothing to list by hand. */
export function environmentFiles(directory: string = ENVIRONMENTS_DIRECTORY): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'index.ts')
    .sort()
    .map((file) => join(directory, file));
}

/** Reads each file's one exported environment (a named or default export); files that cannot be read are problems. */
export function environmentSources(directory: string = ENVIRONMENTS_DIRECTORY): { sources: EnvironmentSource[]; problems: string[] } {
  const problems: string[] = [];
  const sources = environmentFiles(directory).flatMap((file) => {
    const source = relative(PROJECT_ROOT, file).split('\\').join('/');
    let exported: Record<string, unknown>;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      exported = require(file) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${source}: cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      return [];
    }
    const values = Object.entries(exported).filter(([key]) => key !== '__esModule');
    if (values.length !== 1) {
      problems.push(`${source}: export exactly one environment (found ${values.length} exports: ${values.map(([k]) => k).join(', ') || 'none'})`);
      return [];
    }
    return [{ source, config: values[0]![1], expectedName: basename(file, '.ts') }];
  });
  return { sources, problems };
}

/** Every environment of the directory, validated together (all problems of all files at once). */
export function loadEnvironments(directory: string = ENVIRONMENTS_DIRECTORY): EnvironmentConfig[] {
  const { sources, problems } = environmentSources(directory);
  let environments: EnvironmentConfig[] = [];
  try {
    environments = parseEnvironments(sources);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return environments;
}
