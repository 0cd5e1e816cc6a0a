/**
 * FieldScan's rule run over a line's bytes by a small WebAssembly module (wasm/field-scan.wat):
 * it reads 16 bytes a step with SIMD compares where FieldScan makes one String.indexOf call per
 * field, ~110 ns a line against ~320 ns on the ALB lines of the bench. The same boundaries, the
 * same count and quote mask: test/parsers/byte-field-scan.test.ts holds the two to it, line by line.
 *
 * Only for text whose bytes are its characters (ASCII, decoded as latin1): the caller copies a
 * decoded piece's bytes in (`load`) and scans its lines by their indexes in the text. Where
 * WebAssembly SIMD is missing, `loadByteFieldScan` returns null and FieldScan's JavaScript runs.
 */
import { FIELD_SCAN_WASM_BASE64 } from './wasm/field-scan-wasm.js';

/** What the module exports (the WebAssembly types are not in this project's TypeScript libs). */
interface FieldScanExports {
  memory: { buffer: ArrayBuffer };
  endsAt: { value: number };
  capacity: { value: number };
  quotedMask: { value: number };
  scan: (lineStart: number, lineEnd: number) => number;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** A 16-byte load past a line's end stays inside the input area. */
const LOAD_SLACK = 16;

export class ByteFieldScan {
  /** ends[i]: the index just past field i, as FieldScan.ends has it (the first `ends.length` fields). */
  readonly ends: Int32Array;
  /** The most bytes `load` takes. */
  readonly inputCapacity: number;
  private readonly input: Uint8Array;
  private readonly exports: FieldScanExports;

  constructor(exports: FieldScanExports) {
    this.exports = exports;
    const endsAt = exports.endsAt.value;
    // The module's memory never grows, so these views stay valid.
    this.ends = new Int32Array(exports.memory.buffer, endsAt, exports.capacity.value);
    this.inputCapacity = endsAt - LOAD_SLACK;
    this.input = new Uint8Array(exports.memory.buffer, 0, this.inputCapacity);
  }

  /** Copies the bytes of a text in; false (nothing copied) when they do not fit. */
  load(bytes: Uint8Array): boolean {
    if (bytes.length > this.inputCapacity) return false;
    this.input.set(bytes);
    return true;
  }

  /** FieldScan.scan's count for the loaded text's [lineStart, lineEnd); the ends are in `ends`. */
  scan(lineStart: number, lineEnd: number): number {
    return this.exports.scan(lineStart, lineEnd);
  }

  /** The quote mask of the last scan. */
  get quotedMask(): number {
    return this.exports.quotedMask.value;
  }
}

/** The module instantiated (synchronously: it is ~540 bytes), or null where WebAssembly SIMD is not available. */
export function loadByteFieldScan(): ByteFieldScan | null {
  try {
    const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    const module = new wasm.Module(Buffer.from(FIELD_SCAN_WASM_BASE64, 'base64'));
    return new ByteFieldScan(new wasm.Instance(module, {}).exports as FieldScanExports);
  } catch {
    return null;
  }
}
