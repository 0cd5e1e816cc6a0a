/**
 * Pure: the draining a deploy or scale-in had, from the standing settings: " with deregistration
 * delay 0 s" when the target groups behind the service are known (DescribeServices), or when
 * only one target group's delay is known at all. Nothing when it was not measured.
 */
import type { SettingValue, StandingSettings } from '../change-event.js';

export function drainingText(settings: StandingSettings, service: string, targetGroups: readonly string[]): string {
  const delays = delaysFor(settings, service, targetGroups);
  if (delays.length === 0) return '';
  const distinct = [...new Set(delays.map((d) => d.seconds))];
  if (distinct.length === 1) return ` with deregistration delay ${distinct[0]} s`;
  return ` with deregistration delay ${delays.map((d) => `${d.seconds} s on ${d.object}`).join(' and ')}`;
}

export function delaysFor(
  settings: StandingSettings,
  service: string,
  targetGroups: readonly string[],
): SettingValue[] {
  const all = settings.deregistrationDelays ?? [];
  const names = new Set([...targetGroups, ...(settings.serviceTargetGroups?.[service] ?? [])]);
  const matched = all.filter((delay) => names.has(delay.object));
  if (matched.length > 0) return matched;
  return all.length === 1 ? all : [];
}
