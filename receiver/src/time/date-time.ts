/**
 * The one rule for reading an xsd:dateTime (RFC 7643 §2.3.5) as an instant, so that filters compare
 * instants, not texts: `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.000Z` and `2024-05-01T14:00:00+02:00`
 * are the same time. The in-memory evaluator and filter validation call dateTimeInstant; SQLite calls it
 * as a registered function; PostgreSQL evaluates DATE_TIME_PATTERN and the same arithmetic in SQL
 * (postgres-dialect.ts). The value-filter agreement test holds the three to the same answers.
 *
 * - A four-digit year, seconds required, uppercase `T` and `Z`, as in XML Schema.
 * - No offset means UTC (XML Schema leaves it "unspecified"; the host's time zone must not decide).
 * - Fractional seconds count to the millisecond; further digits are ignored (truncated, as Date.parse does).
 * - `24:00:00` is the first instant of the next day (XML Schema 1.1).
 * - A calendar date that does not exist (2023-02-29), an hour, minute, second or offset out of range:
 *   not a dateTime (Date.parse would roll February 30 over into March).
 */

/**
 * Groups: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second, 7 fraction digits, 8 offset sign,
 * 9 offset hours, 10 offset minutes. Written with `[0-9]` (not `\d`) and `(?:…)` only, so that it means
 * the same to JavaScript and to PostgreSQL's regular expressions.
 */
export const DATE_TIME_PATTERN =
  '^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))?$';
const DATE_TIME = new RegExp(DATE_TIME_PATTERN);

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, by whole-number arithmetic that PostgreSQL
 * repeats as is: years counted from March (so the leap day ends a year), shifted by 400 years so that
 * every quotient is of non-negative numbers (year 0000 included).
 */
export function daysFromEpoch(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0) + 400;
  const monthFromMarch = (month + 9) % 12;
  return 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + Math.floor((153 * monthFromMarch + 2) / 5) + day - 1 - EPOCH_DAYS;
}

/** daysFromEpoch's count for 1970-01-01 before the subtraction. */
export const EPOCH_DAYS = 865_565;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month: February by the leap rule, then 31, 30, 31… with July and August both 31. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? 28 + (isLeapYear(year) ? 1 : 0) : 30 + ((month + Math.floor(month / 8)) % 2);
}

/** Milliseconds since the Unix epoch of an xsd:dateTime, or undefined when `value` is not one. */
export function dateTimeInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const endOfDay = hour === 24 && minute === 0 && second === 0 && !/[1-9]/.test(fraction);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const minutes = (daysFromEpoch(year, month, day) * 24 + hour) * 60 + minute - offset;
  return (minutes * 60 + second) * 1000 + Number(fraction.slice(0, 3).padEnd(3, '0'));
}
