import { describe, expect, it } from 'vitest';
import { JsonEntrySplitter, type SplitPiece } from '../../src/parsers/json-entry-splitter.js';

function split(lines: string[]): { pieces: SplitPiece[]; rest: SplitPiece | null } {
  const splitter = new JsonEntrySplitter();
  const pieces = lines.flatMap((line, i) => splitter.push(line, i + 1));
  return { pieces, rest: splitter.finish() };
}

describe('JsonEntrySplitter', () => {
  it('passes one object per line straight through', () => {
    expect(split(['{"a":1}', '{"b":2}'])).toEqual({
      pieces: [
        { kind: 'entry', text: '{"a":1}', lineNumber: 1 },
        { kind: 'entry', text: '{"b":2}', lineNumber: 2 },
      ],
      rest: null,
    });
  });

  it('cuts a one-line array into its elements, braces inside strings and escaped quotes included', () => {
    expect(split(['[{"a":"}{"},{"b":"say \\"}\\""}, {"c":[1,{"d":2}]}]'])).toEqual({
      pieces: [
        { kind: 'entry', text: '{"a":"}{"}', lineNumber: 1 },
        { kind: 'entry', text: '{"b":"say \\"}\\""}', lineNumber: 1 },
        { kind: 'entry', text: '{"c":[1,{"d":2}]}', lineNumber: 1 },
      ],
      rest: null,
    });
  });

  it('joins an object spread over lines, reporting the line it opened on', () => {
    expect(split(['[', '  {', '    "a": {"b": 1}', '  },', '  {"c": 2}', ']'])).toEqual({
      pieces: [
        { kind: 'entry', text: '{\n    "a": {"b": 1}\n  }', lineNumber: 2 },
        { kind: 'entry', text: '{"c": 2}', lineNumber: 5 },
      ],
      rest: null,
    });
  });

  it('gives back a cut NDJSON line as junk when the next object opens in column 0, and keeps reading', () => {
    expect(split(['{"a":1,"b":', '{"c":3}', '{"d":', '  4}'])).toEqual({
      pieces: [
        { kind: 'junk', text: '{"a":1,"b":', lineNumber: 1 },
        { kind: 'entry', text: '{"c":3}', lineNumber: 2 },
        { kind: 'entry', text: '{"d":\n  4}', lineNumber: 3 },
      ],
      rest: null,
    });
  });

  it('reports text outside any object, and an object the file ends inside', () => {
    expect(split(['not json', '[{"a":1}', '  ,{"b":'])).toEqual({
      pieces: [
        { kind: 'junk', text: 'not json', lineNumber: 1 },
        { kind: 'entry', text: '{"a":1}', lineNumber: 2 },
      ],
      rest: { kind: 'junk', text: '{"b":', lineNumber: 3 },
    });
  });
});
