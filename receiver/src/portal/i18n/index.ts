import type { MessageKey } from './en';
import { en } from './en';
import { fr } from './fr';

export type { MessageKey } from './en';
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** The first supported language of an Accept-Language header (by q), English otherwise. */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const base = tag.split('-')[0];
    if ((LOCALES as readonly string[]).includes(base ?? '')) return base as Locale;
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Messages, dates and numbers for one request's language. */
export class Messages {
  private readonly dates: Intl.DateTimeFormat;
  private readonly numbers: Intl.NumberFormat;

  constructor(readonly locale: Locale) {
    this.dates = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
    this.numbers = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-US');
  }

  t(key: MessageKey, params: Record<string, string | number> = {}): string {
    return CATALOGS[this.locale][key].replace(/(?<!\$)\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      return value === undefined ? whole : typeof value === 'number' ? this.number(value) : value;
    });
  }

  /** An ISO time as a local date and time (UTC, labelled), or '' for none. */
  date(iso: string | undefined | null): string {
    if (!iso) return '';
    const time = Date.parse(iso);
    return Number.isNaN(time) ? iso : `${this.dates.format(time)} UTC`;
  }

  number(value: number): string {
    return this.numbers.format(value);
  }
}
