import { describe, expect, it } from 'vitest';
import { describeElb502Scope, findingPlaceholders } from '../../src/draft/draft-placeholders.js';
import { fillSection } from '../../src/draft/fill-template.js';
import { findingOf, fixedZoneFormatter } from './draft-fixtures.js';

const fmt = fixedZoneFormatter();

/** The text of each of `names` among a finding's placeholders (undefined when it has none). */
function textsOf(facts: Record<string, number | string>, names: string[]): Record<string, string | undefined> {
  const values = findingPlaceholders(findingOf('origin_5xx', facts), new Map(), fmt);
  return Object.fromEntries(names.map((name) => [name, values.get(name)?.text]));
}

describe('findingPlaceholders', () => {
  it('words a burst of several minutes as "between 05:29 and 05:40" and gives its inclusive length', () => {
    const texts = textsOf({ burstStart: '2026-06-18T19:29:00Z', burstEnd: '2026-06-18T19:40:00Z' }, [
      'burstRange',
      'burstMinutes',
    ]);

    expect(texts).toEqual({ burstRange: 'between 05:29 and 05:40', burstMinutes: '12' });
  });

  it('words a burst of one minute as "in the minute of 05:41"', () => {
    const texts = textsOf({ burstStart: '2026-06-18T19:41:00Z', burstEnd: '2026-06-18T19:41:00Z' }, [
      'burstRange',
      'burstMinutes',
    ]);

    expect(texts).toEqual({ burstRange: 'in the minute of 05:41', burstMinutes: '1' });
  });

  it('gives no burst range when an end is missing or comes before the start', () => {
    const noEnd = textsOf({ burstStart: '2026-06-18T19:41:00Z' }, ['burstRange']);
    const backwards = textsOf({ burstStart: '2026-06-18T19:41:00Z', burstEnd: '2026-06-18T19:30:00Z' }, ['burstRange']);

    expect([noEnd, backwards]).toEqual([{ burstRange: undefined }, { burstRange: undefined }]);
  });

  it('marks 429s denied by the proxy itself (PR/LR termination) and no others', () => {
    const marks = ['PR--', 'LR--', 'SD--'].map(
      (termination) => textsOf({ termination }, ['deniedAtProxy']).deniedAtProxy,
    );

    expect(marks).toEqual(['yes', 'yes', undefined]);
  });
});

describe('describeElb502Scope', () => {
  it.each([
    [{ elb502Window: 1031, tenantCount: 20 }, 'platform'],
    [{ elb502Window: 1031, tenantCount: 20, elb502IndexWindow: 12 }, 'platform'],
    [{ elb502Window: 1031, tenantCount: 20, elb502IndexWindow: 600 }, 'index'],
    [{ elb502Window: 1031, elb502IndexWindow: 1000 }, 'index'],
    [{ elb502Window: 1031, tenantCount: 1, elb502IndexWindow: 40 }, 'index'],
    [{ elb502Window: 1031, tenantCount: 1, elb502IndexWindow: 0 }, 'loadBalancer'],
    [{ elb502Window: 1031, tenantCount: 1 }, 'loadBalancer'],
    [{ elb502Window: 1031 }, 'loadBalancer'],
    [{}, 'loadBalancer'],
  ])('places %j as %s', (facts, scope) => {
    expect(describeElb502Scope(facts)).toBe(scope);
  });
});

describe('fillSection filters', () => {
  const values = new Map([
    ['range', { text: 'in the minute of 05:41', raw: 'in the minute of 05:41' }],
    ['smallPercent', { text: '0.0065', raw: 0.0065 }],
    ['largePercent', { text: '0.3', raw: 0.3 }],
  ]);

  it('capitalises a phrase that opens a sentence with |cap', () => {
    expect(fillSection('test', '{{range|cap}} it failed.', values)).toEqual(['In the minute of 05:41 it failed.']);
  });

  it('holds |small only for a percentage below 0.1, and !name|small otherwise or when it is missing', () => {
    const section = [
      '{{if smallPercent|small}}A.',
      '{{if largePercent|small}}B.',
      '{{if !largePercent|small}}C.',
      '{{if !missing|small}}D.',
      '{{if missing|small}}E.',
    ].join('\n');

    expect(fillSection('test', section, values)).toEqual(['A. C. D.']);
  });
});
