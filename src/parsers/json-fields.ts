/**
 * Reading fields of a parsed JSON log entry without trusting their types: a log shipper may
 * write a number as a string ("200") or a missing value as "-" or "".
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string (numbers as their text); null for absent, null, "" and "-". */
export function textField(entry: JsonObject, key: string): string | null {
  const value = entry[key];
  if (typeof value === 'string') return value === '' || value === '-' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A finite number (digit strings too); null otherwise. */
export function numberField(entry: JsonObject, key: string): number | null {
  const value = entry[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value !== '' && value !== '-') {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}

/** A nested object; null when absent or not an object. */
export function objectField(entry: JsonObject, key: string): JsonObject | null {
  const value = entry[key];
  return isJsonObject(value) ? value : null;
}

/** A status code as the text the line parsers give ("502"); null when absent or not a whole number. */
export function statusField(entry: JsonObject, key: string): string | null {
  const status = numberField(entry, key);
  return status !== null && Number.isInteger(status) && status >= 0 ? String(status) : null;
}
