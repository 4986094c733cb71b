const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * A report's timestamp as pages show it, the same on the server and in every browser (no locale, no time zone
 * of the reader: the build's HTML and the hydrated page must agree): `30 November 2026` (UTC). Pure.
 */
export function toDateText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
