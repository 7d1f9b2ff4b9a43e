import type { EnvironmentConfig } from '../schema';
import { parseEnvironments } from '../schema';
import { dev } from './dev';
import { prod } from './prod';
import { staging } from './staging';

/** Every environment, validated together. Add one: a file here and a line below (README). */
export function loadEnvironments(): EnvironmentConfig[] {
  return parseEnvironments([
    { source: 'config/environments/dev.ts', config: dev },
    { source: 'config/environments/staging.ts', config: staging },
    { source: 'config/environments/prod.ts', config: prod },
  ]);
}
