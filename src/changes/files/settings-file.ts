/**
 * Pure: `aws elbv2 describe-load-balancer-attributes` and `describe-target-group-attributes`
 * output (`{"Attributes": [{"Key": …, "Value": …}]}`) read as standing settings. The output does
 * not name its load balancer or target group, so the file's name stands in for it.
 */
import type { StandingSettings } from '../change-event.js';
import { asObject } from '../cloudtrail/cloudtrail-record.js';

export const IDLE_TIMEOUT_KEY = 'idle_timeout.timeout_seconds';
export const DEREGISTRATION_DELAY_KEY = 'deregistration_delay.timeout_seconds';

/** The settings the attributes hold; `object` names what they belong to. */
export function readAttributeSettings(
  attributes: readonly unknown[],
  object: string,
  source: string,
): StandingSettings {
  const settings: StandingSettings = {};
  for (const raw of attributes) {
    const attribute = asObject(raw);
    const key = String(attribute.Key ?? attribute.key ?? '');
    const seconds = Number(attribute.Value ?? attribute.value);
    if (!Number.isFinite(seconds)) continue;
    if (key === IDLE_TIMEOUT_KEY) settings.idleTimeout = { seconds, object, source: `${source} ${IDLE_TIMEOUT_KEY}` };
    if (key === DEREGISTRATION_DELAY_KEY)
      settings.deregistrationDelays = [{ seconds, object, source: `${source} ${DEREGISTRATION_DELAY_KEY}` }];
  }
  return settings;
}

/** "search-api-target-group-attributes.json" → "search-api"; "k8s-ingress-load-balancer-attributes.json" → "k8s-ingress". */
export function objectOfAttributesFile(fileName: string): string {
  return (
    fileName
      .replace(/(\.json)?(\.gz)?$/, '')
      .replace(/[-_.]?(target[-_]?group|load[-_]?balancer|tg|lb)?[-_.]?attributes$/i, '') || fileName
  );
}
