/**
 * The zone abbreviations why502 understands, each with its one fixed offset and the region whose
 * clock it names. Abbreviations are mapped here and never handed to Intl: Node's Intl reads
 * "BST" as Asia/Dhaka and "IST" as India, and rejects "AEST" outright.
 */

export interface ZoneAbbreviation {
  abbreviation: string;
  offsetMinutes: number;
  /** The IANA zone whose clock the abbreviation names; used only to warn when the two disagree. */
  region: string;
}

const HOUR = 60;

export const ZONE_ABBREVIATIONS: readonly ZoneAbbreviation[] = [
  { abbreviation: 'AEST', offsetMinutes: 10 * HOUR, region: 'Australia/Sydney' },
  { abbreviation: 'AEDT', offsetMinutes: 11 * HOUR, region: 'Australia/Sydney' },
  { abbreviation: 'ACST', offsetMinutes: 9 * HOUR + 30, region: 'Australia/Adelaide' },
  { abbreviation: 'ACDT', offsetMinutes: 10 * HOUR + 30, region: 'Australia/Adelaide' },
  { abbreviation: 'AWST', offsetMinutes: 8 * HOUR, region: 'Australia/Perth' },
  { abbreviation: 'NZST', offsetMinutes: 12 * HOUR, region: 'Pacific/Auckland' },
  { abbreviation: 'NZDT', offsetMinutes: 13 * HOUR, region: 'Pacific/Auckland' },
  { abbreviation: 'PST', offsetMinutes: -8 * HOUR, region: 'America/Los_Angeles' },
  { abbreviation: 'PDT', offsetMinutes: -7 * HOUR, region: 'America/Los_Angeles' },
  { abbreviation: 'MST', offsetMinutes: -7 * HOUR, region: 'America/Denver' },
  { abbreviation: 'MDT', offsetMinutes: -6 * HOUR, region: 'America/Denver' },
  { abbreviation: 'CST', offsetMinutes: -6 * HOUR, region: 'America/Chicago' },
  { abbreviation: 'CDT', offsetMinutes: -5 * HOUR, region: 'America/Chicago' },
  { abbreviation: 'EST', offsetMinutes: -5 * HOUR, region: 'America/New_York' },
  { abbreviation: 'EDT', offsetMinutes: -4 * HOUR, region: 'America/New_York' },
  { abbreviation: 'BST', offsetMinutes: 1 * HOUR, region: 'Europe/London' },
  { abbreviation: 'CET', offsetMinutes: 1 * HOUR, region: 'Europe/Paris' },
  { abbreviation: 'CEST', offsetMinutes: 2 * HOUR, region: 'Europe/Paris' },
  { abbreviation: 'JST', offsetMinutes: 9 * HOUR, region: 'Asia/Tokyo' },
  { abbreviation: 'SGT', offsetMinutes: 8 * HOUR, region: 'Asia/Singapore' },
];

/** Names of UTC itself; each means offset 0 and is shown as "UTC". */
export const UTC_NAMES: readonly string[] = ['UTC', 'Z', 'GMT'];

/**
 * Abbreviations shown for a region's clock but not accepted as input on their own account
 * (GMT is accepted, as UTC): London in winter is on GMT.
 */
const DISPLAY_ONLY: readonly ZoneAbbreviation[] = [{ abbreviation: 'GMT', offsetMinutes: 0, region: 'Europe/London' }];

/** Other IANA names that keep the same clock as a region above (same abbreviations). */
const REGION_ALIASES: Readonly<Record<string, string>> = {
  'Australia/Melbourne': 'Australia/Sydney',
  'Australia/Canberra': 'Australia/Sydney',
  'Australia/ACT': 'Australia/Sydney',
  'Australia/NSW': 'Australia/Sydney',
  'Australia/Victoria': 'Australia/Sydney',
  'Australia/Hobart': 'Australia/Sydney',
  'Australia/Tasmania': 'Australia/Sydney',
  'Australia/Brisbane': 'Australia/Sydney',
  'Australia/Queensland': 'Australia/Sydney',
  'Australia/South': 'Australia/Adelaide',
  'Australia/Darwin': 'Australia/Adelaide',
  'Australia/North': 'Australia/Adelaide',
  'Australia/West': 'Australia/Perth',
  NZ: 'Pacific/Auckland',
  'US/Pacific': 'America/Los_Angeles',
  'US/Mountain': 'America/Denver',
  'America/Phoenix': 'America/Denver',
  'US/Central': 'America/Chicago',
  'US/Eastern': 'America/New_York',
  'Europe/Berlin': 'Europe/Paris',
  'Europe/Amsterdam': 'Europe/Paris',
  'Europe/Madrid': 'Europe/Paris',
  'Europe/Rome': 'Europe/Paris',
  'Europe/Brussels': 'Europe/Paris',
  'Europe/Vienna': 'Europe/Paris',
  'Europe/Zurich': 'Europe/Paris',
  'Europe/Stockholm': 'Europe/Paris',
  'Europe/Oslo': 'Europe/Paris',
  'Europe/Copenhagen': 'Europe/Paris',
  'Europe/Warsaw': 'Europe/Paris',
  'Europe/Prague': 'Europe/Paris',
};

/** "Sydney" for "Australia/Sydney", "New York" for "America/New_York". */
export function regionCityName(ianaName: string): string {
  const city = ianaName.split('/').at(-1) ?? ianaName;
  return city.replace(/_/g, ' ');
}

export function findAbbreviation(token: string): ZoneAbbreviation | undefined {
  const upper = token.toUpperCase();
  return ZONE_ABBREVIATIONS.find((entry) => entry.abbreviation === upper);
}

/**
 * The abbreviation a known region's clock goes by at a given offset ("AEDT" for
 * Australia/Sydney at +11:00), or undefined for a region or offset not in the table.
 */
export function abbreviationForRegion(ianaName: string, offsetMinutes: number): string | undefined {
  const region = REGION_ALIASES[ianaName] ?? ianaName;
  const entry = [...ZONE_ABBREVIATIONS, ...DISPLAY_ONLY].find(
    (candidate) => candidate.region === region && candidate.offsetMinutes === offsetMinutes,
  );
  return entry?.abbreviation;
}
