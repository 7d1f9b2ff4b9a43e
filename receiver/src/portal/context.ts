import type { Messages } from './i18n';

export type NavKey = 'users' | 'groups' | 'settings' | 'tokens' | 'templates' | 'activity' | 'diagnostics' | 'oktaSetup';

/** What every signed-in page needs to render. */
export interface PageContext {
  readonly m: Messages;
  /** The synchronizer token every form posts back. */
  readonly csrf: string;
  readonly principal: string;
  /** The current URL (path and query), for the language switcher to come back to. */
  readonly url: string;
  readonly notice?: { readonly kind: 'ok' | 'error' | 'warn'; readonly text: string };
}

export const PORTAL_PREFIX = '/admin';
