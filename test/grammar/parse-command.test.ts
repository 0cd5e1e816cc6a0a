import { describe, expect, it } from 'vitest';
import type { InvestigationCommand } from '../../src/core/types.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { closestNames, editDistance } from '../../src/grammar/closest-names.js';
import { type CommandDefaults, parseCommandText, parseInvestigation, USAGE } from '../../src/grammar/parse-command.js';
import { ZONE_ABBREVIATIONS } from '../../src/grammar/zone-table.js';

function usageErrorFrom(act: () => unknown): UsageError {
  try {
    act();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

/** 10:00 AEST on 19 Jun 2026, the morning after the seed incident. */
const NOW = new Date('2026-06-19T00:00:00Z');
const DEFAULTS: CommandDefaults = { now: NOW };
const CONFIGURED: CommandDefaults = {
  now: NOW,
  defaultZone: 'Australia/Sydney',
  defaultWindow: '3h',
  knownIndexes: ['prod_000_audio', 'prod_001_audio', 'prod_002_video', 'staging_search'],
};

const SEED_COMMAND: InvestigationCommand = {
  index: 'prod_000_audio',
  asked: {
    input: '05:41 AEST',
    zone: { kind: 'fixed', label: 'AEST', offsetMinutes: 600 },
    utcOffset: '+10:00',
    instant: new Date('2026-06-18T19:41:00Z'),
    at: new Date('2026-06-18T19:41:00Z'),
    notes: [],
  },
  window: { start: new Date('2026-06-18T18:11:00Z'), end: new Date('2026-06-18T21:11:00Z') },
  noDraft: false,
};

/** The pattern window of a command as ISO strings. */
function patternWindowOf(command: InvestigationCommand): [string, string] | undefined {
  return command.patternWindow && [command.patternWindow.start.toISOString(), command.patternWindow.end.toISOString()];
}

/** The window of a command as ISO strings. */
function windowOf(command: InvestigationCommand): [string, string] {
  return [command.window.start.toISOString(), command.window.end.toISOString()];
}

describe('parseInvestigation', () => {
  it('resolves the seed case: prod_000_audio 05:41 AEST, window 18:11–21:11 UTC', () => {
    const command = parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'AEST'] }, DEFAULTS);

    expect(command).toEqual(SEED_COMMAND);
  });

  it('resolves the seed case the same way with a config', () => {
    const command = parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'AEST'] }, CONFIGURED);

    expect(command).toEqual(SEED_COMMAND);
  });

  it('passes --no-draft through', () => {
    const command = parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'AEST'], noDraft: true }, DEFAULTS);

    expect(command.noDraft).toBe(true);
  });

  describe('time and zone tokens', () => {
    it.each([
      [['5:41', 'AM'], '5:41 AM', 'Australia/Sydney'],
      [['5:41', 'am', 'AEST'], '5:41 am AEST', 'AEST'],
      [['2026-06-19', '05:41'], '2026-06-19 05:41', 'Australia/Sydney'],
      [['2026-06-19', '05:41', '+10:00'], '2026-06-19 05:41 +10:00', '+10:00'],
      [['05:41', 'UTC+10'], '05:41 UTC+10', 'UTC+10'],
      [['05:41', 'Australia/Sydney'], '05:41 Australia/Sydney', 'Australia/Sydney'],
      [['2026-06-19T05:41+10:00'], '2026-06-19T05:41+10:00', '+10:00'],
      [['2026-06-18T19:41:00Z'], '2026-06-18T19:41:00Z', 'UTC'],
    ])('reads %j as the time %j in the zone %s', (tokens, input, zoneLabel) => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', ...tokens] }, CONFIGURED);

      expect([command.asked.input, command.asked.zone.label, command.asked.at.toISOString()]).toEqual([
        input,
        zoneLabel,
        '2026-06-18T19:41:00.000Z',
      ]);
    });

    it('reports an unknown zone by name rather than as an unreadable time', () => {
      const error = usageErrorFrom(() =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'IST'] }, DEFAULTS),
      );

      expect(error.message).toBe('Unknown time zone "IST".');
    });
  });

  describe('index', () => {
    it.each([
      ['prod 000', 'prod 000'],
      ['prod;drop', 'prod;drop'],
      ['../etc/passwd', '../etc/passwd'],
      ['prod_000_audio"|filter', 'prod_000_audio"|filter'],
      ['a'.repeat(129), `${'a'.repeat(40)}…`],
    ])('refuses %j as an index name before anything else', (index, shown) => {
      const error = usageErrorFrom(() => parseInvestigation({ positionals: [index, '05:41'] }, DEFAULTS));

      expect([error.message, error.hint]).toEqual([
        `"${shown}" is not an index name.`,
        'Index names are 1–128 letters, digits, "_", "." or "-", e.g. "prod_000_audio 05:41 AEST".',
      ]);
    });

    it('accepts index names that start with digits and dashes', () => {
      expect(parseInvestigation({ positionals: ['2026-audio', '05:41'] }, DEFAULTS).index).toBe('2026-audio');
      expect(parseInvestigation({ positionals: ['10.0-search', '05:41'] }, DEFAULTS).index).toBe('10.0-search');
    });

    it('accepts any well-formed index when no indexes are configured', () => {
      const name = `a.b-c_${'x'.repeat(122)}`;

      expect(parseInvestigation({ positionals: [name, '05:41'] }, DEFAULTS).index).toBe(name);
    });

    it('names the closest configured indexes for an unknown one', () => {
      const error = usageErrorFrom(() => parseInvestigation({ positionals: ['prod_00_audio', '05:41'] }, CONFIGURED));

      expect([error.message, error.hint]).toEqual([
        "Unknown index 'prod_00_audio'. Closest: prod_000_audio, prod_001_audio.",
        'Use an index from the config\'s indexes: section, e.g. "prod_000_audio 05:41 AEST".',
      ]);
    });

    it('lists some known indexes when none is close', () => {
      const error = usageErrorFrom(() => parseInvestigation({ positionals: ['billing', '05:41'] }, CONFIGURED));

      expect(error.message).toBe("Unknown index 'billing'. Known: prod_000_audio, prod_001_audio, prod_002_video, ….");
    });

    it('says so when the config lists no indexes', () => {
      const error = usageErrorFrom(() =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41'] }, { now: NOW, knownIndexes: [] }),
      );

      expect(error.message).toBe("Unknown index 'prod_000_audio': the config lists no indexes.");
    });

    it('explains a missing index and a missing time', () => {
      const nothing = usageErrorFrom(() => parseInvestigation({ positionals: [] }, DEFAULTS));
      const timeFirst = usageErrorFrom(() => parseInvestigation({ positionals: ['05:41', 'AEST'] }, DEFAULTS));
      const noTime = usageErrorFrom(() => parseInvestigation({ positionals: ['prod_000_audio'] }, DEFAULTS));
      const zoneOnly = usageErrorFrom(() => parseInvestigation({ positionals: ['prod_000_audio', 'AEST'] }, DEFAULTS));

      expect([nothing, timeFirst, noTime, zoneOnly].map((error) => [error.message, error.hint])).toEqual([
        ['The index and the time are missing.', 'Give the index, then the time, e.g. "prod_000_audio 05:41 AEST".'],
        ['The index is missing: "05:41" is a time.', 'Give the index first, e.g. "prod_000_audio 05:41 AEST".'],
        [
          'The time is missing after "prod_000_audio".',
          'Give the index, then the time, e.g. "prod_000_audio 05:41 AEST".',
        ],
        [
          'I could not read "AEST" as a time.',
          'Write the time as HH:MM (24-hour), with am/pm, or with a date: "05:41", "5:41am", "5am", "5:41 PM", "2026-06-19 05:41", "2026-06-18T19:41:00Z".',
        ],
      ]);
    });
  });

  describe('hour-only times and extra words', () => {
    it('reads a trailing "5pm" as part of the time, not as the zone', () => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', '2026-06-18', '5pm'] }, DEFAULTS);

      expect([command.asked.input, command.asked.instant]).toEqual([
        '2026-06-18 5pm',
        new Date('2026-06-18T17:00:00Z'),
      ]);
    });

    it('says "5am" before the index is a time', () => {
      const error = usageErrorFrom(() => parseInvestigation({ positionals: ['5am', 'AEST'] }, DEFAULTS));

      expect(error.message).toBe('The index is missing: "5am" is a time.');
    });

    it('names the second zone as unexpected in "05:41 AEST UTC"', () => {
      const error = usageErrorFrom(() =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'AEST', 'UTC'] }, DEFAULTS),
      );

      expect([error.message, error.hint]).toEqual([
        'Unexpected "UTC" after the zone "AEST".',
        'Give one zone after the time, e.g. "05:41 AEST".',
      ]);
    });
  });

  describe('window', () => {
    it('defaults to 3h centred on the asked minute', () => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', '2026-06-18T12:00:00Z'] }, DEFAULTS);

      expect(windowOf(command)).toEqual(['2026-06-18T10:30:00.000Z', '2026-06-18T13:30:00.000Z']);
    });

    it("uses the config's window when none is typed, and a typed one over it", () => {
      const configured = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-18T12:00:00Z'] },
        { ...CONFIGURED, defaultWindow: '1h' },
      );
      const typed = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-18T12:00:00Z'], window: '2h30m' },
        { ...CONFIGURED, defaultWindow: '1h' },
      );

      expect([windowOf(configured), windowOf(typed)]).toEqual([
        ['2026-06-18T11:30:00.000Z', '2026-06-18T12:30:00.000Z'],
        ['2026-06-18T10:45:00.000Z', '2026-06-18T13:15:00.000Z'],
      ]);
    });

    it('puts the extra minute of an odd width after the asked minute', () => {
      const command = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-18T12:00:00Z'], window: '91m' },
        DEFAULTS,
      );

      expect(windowOf(command)).toEqual(['2026-06-18T11:15:00.000Z', '2026-06-18T12:46:00.000Z']);
    });

    it('centres on the minute, not the second', () => {
      const command = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-18T12:00:59Z'], window: '10m' },
        DEFAULTS,
      );

      expect(windowOf(command)).toEqual(['2026-06-18T11:55:00.000Z', '2026-06-18T12:05:00.000Z']);
    });

    it('clips the window at now, a minute that has not begun excluded, and says so', () => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', '09:30', 'AEST'], window: '2h' }, DEFAULTS);

      expect([windowOf(command), command.asked.notes]).toEqual([
        ['2026-06-18T22:30:00.000Z', '2026-06-19T00:00:00.000Z'],
        [
          'Window clipped at now (10:00 AEST, 00:00 UTC): it covers 08:30–10:00 AEST (22:30–00:00 UTC), ' +
            'not the full 2h, because later minutes have not happened yet.',
        ],
      ]);
    });

    it('keeps the asked minute when it is the current minute', () => {
      const now = new Date('2026-06-18T19:41:30Z');

      const command = parseInvestigation({ positionals: ['prod_000_audio', '05:41', 'AEST'] }, { now });

      expect([windowOf(command), command.asked.notes]).toEqual([
        ['2026-06-18T18:11:00.000Z', '2026-06-18T19:42:00.000Z'],
        [
          'Window clipped at now (05:41 AEST, 19:41 UTC): it covers 04:11–05:42 AEST (18:11–19:42 UTC), ' +
            'not the full 3h, because later minutes have not happened yet.',
        ],
      ]);
    });

    it('writes the clip note in UTC alone for a UTC question, after any time note', () => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', '23:30'], window: '90m' }, DEFAULTS);

      expect([windowOf(command), command.asked.notes]).toEqual([
        ['2026-06-18T22:45:00.000Z', '2026-06-19T00:00:00.000Z'],
        [
          'Window clipped at now (00:00 UTC): it covers 22:45–00:00 UTC, not the full 1h30m, because later minutes have not happened yet.',
        ],
      ]);
    });

    it('refuses typed windows outside 10m–14d', () => {
      const tooShort = usageErrorFrom(() =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41'], window: '5m' }, DEFAULTS),
      );
      const tooLong = usageErrorFrom(() =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41'], window: '15d' }, DEFAULTS),
      );

      expect([tooShort.message, tooLong.message]).toEqual([
        'The window "5m" is too short: at least 10m.',
        'The window "15d" is too long: at most 14d.',
      ]);
    });

    it('gives no pattern window up to 24h', () => {
      const command = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-18T12:00:00Z'], window: '24h' },
        DEFAULTS,
      );

      expect([windowOf(command), command.patternWindow]).toEqual([
        ['2026-06-18T00:00:00.000Z', '2026-06-19T00:00:00.000Z'],
        undefined,
      ]);
    });

    it("judges a window over 24h on the config's width and reads the typed width as the pattern window", () => {
      const command = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-12T00:00:00Z'], window: '14d' },
        { ...DEFAULTS, defaultWindow: '1h' },
      );

      expect([windowOf(command), patternWindowOf(command), command.asked.notes]).toEqual([
        ['2026-06-11T23:30:00.000Z', '2026-06-12T00:30:00.000Z'],
        ['2026-05-29T00:30:00.000Z', '2026-06-12T00:30:00.000Z'],
        [],
      ]);
    });

    it('ends a 36h pattern window where the judged window ends: the days up to the question', () => {
      const command = parseInvestigation(
        { positionals: ['prod_000_audio', '2026-06-16T12:00:00Z'], window: '36h' },
        DEFAULTS,
      );

      expect([windowOf(command), patternWindowOf(command)]).toEqual([
        ['2026-06-16T10:30:00.000Z', '2026-06-16T13:30:00.000Z'],
        ['2026-06-15T01:30:00.000Z', '2026-06-16T13:30:00.000Z'],
      ]);
    });

    it("reads the full 14 days back from a judged window clipped at now, with only the window's own clip note", () => {
      const command = parseInvestigation({ positionals: ['prod_000_audio', '09:30', 'AEST'], window: '14d' }, DEFAULTS);

      expect([windowOf(command), patternWindowOf(command), command.asked.notes]).toEqual([
        ['2026-06-18T22:00:00.000Z', '2026-06-19T00:00:00.000Z'],
        ['2026-06-05T00:00:00.000Z', '2026-06-19T00:00:00.000Z'],
        [
          'Window clipped at now (10:00 AEST, 00:00 UTC): it covers 08:00–10:00 AEST (22:00–00:00 UTC), not the full 3h, because later minutes have not happened yet.',
        ],
      ]);
    });

    it('refuses a config window over 24h as a config error that says it is the judged width', () => {
      const act = () =>
        parseInvestigation(
          { positionals: ['prod_000_audio', '05:41'], window: '7d' },
          { now: NOW, defaultWindow: '2d' },
        );

      expect(act).toThrow(ConfigError);
      expect(act).toThrow(`The config's window "2d" is not a usable width.`);
      expect(() => act()).toThrow(
        expect.objectContaining({
          hint: expect.stringContaining(
            'it is the width judged around the asked minute; for patterns over days, type --window 14d',
          ),
        }),
      );
    });

    it('reports an unusable configured window as a config error', () => {
      const act = () =>
        parseInvestigation({ positionals: ['prod_000_audio', '05:41'] }, { now: NOW, defaultWindow: '3 hours' });

      expect(act).toThrow(ConfigError);
      expect(act).toThrow(`The config's window "3 hours" is not a usable width.`);
    });
  });
});

describe('parseCommandText', () => {
  it('parses the seed command', () => {
    expect(parseCommandText('prod_000_audio 05:41 AEST', DEFAULTS)).toEqual(SEED_COMMAND);
  });

  it.each(['', '   ', 'help', 'HELP', 'help me', '--help', '-h', 'prod_000_audio --help'])(
    'asks for usage on %j',
    (text) => {
      expect(parseCommandText(text, DEFAULTS)).toEqual({ help: true });
    },
  );

  it.each([
    'prod_000_audio 05:41 AEST --window 2h --no-draft',
    'prod_000_audio --no-draft 05:41 AEST --window=2h',
    '--window 2h prod_000_audio 05:41 AEST --no-draft',
    'prod_000_audio 05:41 AEST --window 1h 60m --no-draft',
    '  prod_000_audio   05:41\tAEST  --window  2h   --no-draft  ',
    '/why502 prod_000_audio 05:41 AEST --window 2h --no-draft',
  ])('reads flags anywhere in %j', (text) => {
    const command = parseCommandText(text, DEFAULTS) as InvestigationCommand;

    expect([command.index, command.asked.input, windowOf(command), command.noDraft]).toEqual([
      'prod_000_audio',
      '05:41 AEST',
      ['2026-06-18T18:41:00.000Z', '2026-06-18T20:41:00.000Z'],
      true,
    ]);
  });

  it.each([
    ['smart quotes', '“prod_000_audio” ‘05:41’ AEST'],
    ['non-breaking spaces', 'prod_000_audio\u00a005:41\u202fAEST'],
    ['zero-width spaces', 'prod_000_audio 05:41\u200b AEST'],
    ['plain quotes', '"prod_000_audio" "05:41 AEST"'],
  ])("tolerates Slack's %s", (_kind, text) => {
    expect(parseCommandText(text, DEFAULTS)).toEqual(SEED_COMMAND);
  });

  it('reads the dash autocorrect makes of "--" as a flag, and a typographic minus in an offset', () => {
    const command = parseCommandText(
      'prod_000_audio 2026-06-18 14:41 \u221205:00 \u2014window 2h \u2013no-draft',
      DEFAULTS,
    ) as InvestigationCommand;

    expect([command.asked.at.toISOString(), command.asked.zone.label, windowOf(command), command.noDraft]).toEqual([
      '2026-06-18T19:41:00.000Z',
      '-05:00',
      ['2026-06-18T18:41:00.000Z', '2026-06-18T20:41:00.000Z'],
      true,
    ]);
  });

  it('reads a negative offset as the zone, not as a flag', () => {
    const command = parseCommandText('prod_000_audio 14:41 -05:00', DEFAULTS) as InvestigationCommand;

    expect(command.asked.at.toISOString()).toBe('2026-06-18T19:41:00.000Z');
  });

  it.each([
    ['prod_000_audio 05:41 --format json', 'Unknown option "--format".'],
    ['prod_000_audio 05:41 --window', '--window needs a width.'],
    ['prod_000_audio 05:41 --window --no-draft', '--window needs a width.'],
    ['prod_000_audio 05:41 -w 2h', 'Unknown option "-w".'],
  ])('refuses %j naming the problem', (text, message) => {
    const error = usageErrorFrom(() => parseCommandText(text, DEFAULTS));

    expect([error.message, error.hint]).toEqual([
      message,
      'Options are --window <width> (e.g. --window 2h) and --no-draft.',
    ]);
  });

  it.each([
    ['prod_000_audio 05:41 AEST --window 14d', ['2026-06-04T21:11:00.000Z', '2026-06-18T21:11:00.000Z']],
    ['prod_000_audio 05:41 AEST --window=7d', ['2026-06-11T21:11:00.000Z', '2026-06-18T21:11:00.000Z']],
    ['prod_000_audio 05:41 AEST \u2014window 1d 12h', ['2026-06-17T09:11:00.000Z', '2026-06-18T21:11:00.000Z']],
    [
      'prod_000_audio 05:41 AEST --window 1d 12h 30m --no-draft',
      ['2026-06-17T08:41:00.000Z', '2026-06-18T21:11:00.000Z'],
    ],
  ])('reads a pattern window from Slack text %j, judged on the default 3h', (text, pattern) => {
    const command = parseCommandText(text, DEFAULTS) as InvestigationCommand;

    expect([windowOf(command), patternWindowOf(command)]).toEqual([
      ['2026-06-18T18:11:00.000Z', '2026-06-18T21:11:00.000Z'],
      pattern,
    ]);
  });

  it('refuses a Slack window over 14d', () => {
    const error = usageErrorFrom(() => parseCommandText('prod_000_audio 05:41 AEST --window 15d', DEFAULTS));

    expect(error.message).toBe('The window "15d" is too long: at most 14d.');
  });

  it('applies the config: zone, window and known indexes', () => {
    const command = parseCommandText('prod_001_audio 5:41am', CONFIGURED) as InvestigationCommand;

    expect([command.index, command.asked.zone, command.asked.at.toISOString(), windowOf(command)]).toEqual([
      'prod_001_audio',
      { kind: 'iana', label: 'Australia/Sydney', name: 'Australia/Sydney' },
      '2026-06-18T19:41:00.000Z',
      ['2026-06-18T18:11:00.000Z', '2026-06-18T21:11:00.000Z'],
    ]);
  });
});

describe('USAGE', () => {
  it('shows the grammar, every zone abbreviation and examples', () => {
    const missing = ZONE_ABBREVIATIONS.map((entry) => entry.abbreviation).filter(
      (abbreviation) => !USAGE.includes(abbreviation),
    );

    expect(missing).toEqual([]);
    expect(USAGE.split('\n')[0]).toBe('Usage: /why502 <index> <time> [<zone>] [--window <duration>] [--no-draft]');
    expect(USAGE).toContain('/why502 prod_000_audio 05:41 AEST');
  });

  it('lists time forms that all parse, hour-only am/pm among them', () => {
    const lines = USAGE.split('\n');
    const first = lines.findIndex((line) => line.trimStart().startsWith('<time>'));
    const last = lines.findIndex((line) => line.includes('An hour with am/pm'));
    const forms = lines
      .slice(first, last)
      .join('  ')
      .replace('<time>', '')
      .trim()
      .split(/\s{2,}/);
    const later = { now: new Date('2026-06-20T00:00:00Z') };

    const instants = forms.map((form) =>
      parseInvestigation({ positionals: ['prod_000_audio', ...form.split(' ')] }, later).asked.instant.toISOString(),
    );

    expect(Object.fromEntries(forms.map((form, i) => [form, instants[i]]))).toEqual({
      '05:41': '2026-06-19T05:41:00.000Z',
      '5:41am': '2026-06-19T05:41:00.000Z',
      '5:41 PM': '2026-06-19T17:41:00.000Z',
      '5am': '2026-06-19T05:00:00.000Z',
      '12 pm': '2026-06-19T12:00:00.000Z',
      '05:41:07': '2026-06-19T05:41:07.000Z',
      '2026-06-19 05:41': '2026-06-19T05:41:00.000Z',
      '2026-06-19T05:41': '2026-06-19T05:41:00.000Z',
      '2026-06-18T19:41:00Z': '2026-06-18T19:41:00.000Z',
      '2026-06-19T05:41+10:00': '2026-06-18T19:41:00.000Z',
    });
  });

  it('has examples that parse', () => {
    const examples = USAGE.split('\n')
      .filter((line) => line.startsWith('  /why502 ') && !line.includes('help'))
      .map((line) => line.trim().replace('/why502 ', ''));

    const parsed = examples.map((example) => (parseCommandText(example, DEFAULTS) as InvestigationCommand).index);

    expect(parsed).toEqual(['prod_000_audio', 'prod_000_audio', 'prod_000_audio', 'prod_000_audio']);
  });
});

describe('closestNames', () => {
  it('computes edit distances', () => {
    expect([
      editDistance('prod_00_audio', 'prod_000_audio'),
      editDistance('kitten', 'sitting'),
      editDistance('', 'abc'),
    ]).toEqual([1, 3, 3]);
  });

  it('returns at most three names, closest first, ties alphabetical', () => {
    const known = ['prod_003_audio', 'prod_002_audio', 'prod_001_audio', 'prod_000_audio'];

    expect(closestNames('prod_00_audio', known)).toEqual(['prod_000_audio', 'prod_001_audio', 'prod_002_audio']);
  });

  it('ignores case when measuring', () => {
    expect(closestNames('PROD_000_AUDIO', ['prod_000_audio'])).toEqual(['prod_000_audio']);
  });
});
