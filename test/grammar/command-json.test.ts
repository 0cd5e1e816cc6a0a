import { describe, expect, it } from 'vitest';
import type { InvestigationCommand } from '../../src/core/types.js';
import { commandFromJson, commandToJson } from '../../src/grammar/command-json.js';
import { parseCommandText } from '../../src/grammar/parse-command.js';

const NOW = new Date('2026-06-18T23:00:00Z');

describe('a parsed command as JSON', () => {
  it('comes back equal to the command parsed once, through JSON text, with its pattern window and notes', () => {
    const parsed = parseCommandText('prod_000_audio 5:41am Australia/Sydney --window 14d --no-draft', {
      now: NOW,
      defaultWindow: '3h',
    }) as InvestigationCommand;

    const revived = commandFromJson(JSON.parse(JSON.stringify(commandToJson(parsed))));

    expect(revived).toEqual(parsed);
    expect(revived.patternWindow).toEqual({
      start: new Date('2026-06-04T21:11:00Z'),
      end: new Date('2026-06-18T21:11:00Z'),
    });
  });

  it('refuses what is not a command: an index that must not reach a query, an instant that is not one', () => {
    const good = commandToJson(parseCommandText('prod_000_audio 05:41 AEST', { now: NOW }) as InvestigationCommand);

    expect(() => commandFromJson({ ...good, index: 'prod"; drop' })).toThrow();
    expect(() => commandFromJson({ ...good, window: { start: 'yesterday', end: good.window.end } })).toThrow();
    expect(() =>
      commandFromJson({ ...good, asked: { ...good.asked, zone: { kind: 'iana', label: 'x', name: '../../etc' } } }),
    ).toThrow();
  });
});
