/** The portal's message catalogs: every key in every language, placeholders kept, language negotiation. */
import { CATALOGS, LOCALES, Messages, negotiateLocale } from '../../receiver/src/portal/i18n';

const placeholders = (text: string) => [...text.matchAll(/(?<!\$)\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every catalog has exactly the English keys, none empty, with the same placeholders', () => {
  const keys = Object.keys(CATALOGS.en).sort();
  for (const locale of LOCALES) {
    const catalog = CATALOGS[locale] as Record<string, string>;
    expect({ locale, missing: keys.filter((k) => !(k in catalog)), extra: Object.keys(catalog).filter((k) => !keys.includes(k)) }).toEqual({ locale, missing: [], extra: [] });
    for (const key of keys) {
      expect({ locale, key, empty: catalog[key]!.trim() === '' }).toEqual({ locale, key, empty: false });
      expect({ locale, key, placeholders: placeholders(catalog[key]!) }).toEqual({ locale, key, placeholders: placeholders(CATALOGS.en[key as keyof typeof CATALOGS.en]) });
    }
  }
});

test('French uses the guide’s own words', () => {
  expect(CATALOGS.fr['nav.users']).toBe('Utilisateurs');
  expect(CATALOGS.fr['nav.groups']).toBe('Groupes d’utilisateurs');
  expect(CATALOGS.fr['user.tab.attributes']).toBe('Attributs');
  expect(CATALOGS.fr['settings.edit']).toBe('Modifier les paramètres');
  expect(CATALOGS.fr['settings.autoInvite']).toBe('Inviter automatiquement les utilisateurs importés depuis Okta');
  expect(CATALOGS.fr['settings.addAttribute']).toBe('Ajouter un attribut personnalisé');
  expect(CATALOGS.fr['settings.attr.attributeType']).toBe('Type d’attribut');
  expect(CATALOGS.fr['common.save']).toBe('Enregistrer les modifications');
});

test('Accept-Language picks a supported language by quality, English otherwise', () => {
  expect(negotiateLocale('fr-FR,fr;q=0.9,en;q=0.8')).toBe('fr');
  expect(negotiateLocale('de-DE, en;q=0.5, fr;q=0.7')).toBe('fr');
  expect(negotiateLocale('de-DE')).toBe('en');
  expect(negotiateLocale(undefined)).toBe('en');
  expect(negotiateLocale('fr;q=0, en')).toBe('en');
});

test('numbers and dates follow the language', () => {
  expect(new Messages('en').number(100000)).toBe('100,000');
  expect(new Messages('fr').number(100000)).toMatch(/^100\s000$/u);
  expect(new Messages('fr').date('2026-03-05T14:07:00Z')).toMatch(/^5 mars 2026.*14:07 UTC$/);
  expect(new Messages('en').date('2026-03-05T14:07:00Z')).toMatch(/^5 Mar 2026.*14:07 UTC$/);
  expect(new Messages('fr').t('common.results', { count: 1234 })).toMatch(/^1\s234 résultat\(s\)$/u);
});
