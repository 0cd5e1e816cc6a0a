/**
 * The repository carries the schema `--format json` follows (contract/why502.schema.json), so a
 * fresh clone validates its output; it must stay byte for byte the contract's own copy in
 * ../shared/contract/, which this checks whenever that folder is there (said once per run when not).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_SCHEMA,
  hasSharedContract,
  SHARED_CONTRACT_SCHEMA,
  warnSharedAbsentOnce,
} from '../support/shared-paths.js';

warnSharedAbsentOnce();

describe('contract/why502.schema.json', () => {
  it('is a JSON Schema 2020-12 document that compiles and refuses a report without its required parts', () => {
    const schema = JSON.parse(readFileSync(CONTRACT_SCHEMA, 'utf8')) as Record<string, unknown>;

    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);

    expect([schema.$schema, schema.$id, validate({ schemaVersion: 1 })]).toEqual([
      'https://json-schema.org/draft/2020-12/schema',
      'why502.schema.json',
      false,
    ]);
    expect(
      validate.errors
        ?.filter((error) => error.keyword === 'required')
        .map((error) => error.params.missingProperty)
        .sort(),
    ).toEqual(['asked', 'at', 'findings', 'index', 'signals', 'sources', 'verdict', 'window']);
  });

  it.skipIf(!hasSharedContract)("is byte for byte the contract's own copy in ../shared/contract/", () => {
    const repository = readFileSync(CONTRACT_SCHEMA);
    const contract = readFileSync(SHARED_CONTRACT_SCHEMA);

    expect(repository.toString('utf8')).toBe(contract.toString('utf8'));
    expect(Buffer.compare(repository, contract)).toBe(0);
  });
});
