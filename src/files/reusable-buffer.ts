/**
 * One buffer a thread reuses for whole small files; a read that finds it taken (another read on
 * the same thread still inflating from it) gets a buffer of its own.
 */
export class ReusableBuffer {
  private buffer: Buffer | null = null;
  private taken = false;

  constructor(private readonly bytes: number) {}

  lease(size: number): Buffer {
    if (this.taken || size > this.bytes) return Buffer.allocUnsafe(size);
    this.taken = true;
    this.buffer ??= Buffer.allocUnsafe(this.bytes);
    return this.buffer;
  }

  /**
   * Gives the buffer back. `inUse`: something may still read it (an inflate stopped early can have
   * a write pending on libuv's thread pool): it is left to it, and the next lease gets a new one.
   */
  release(buffer: Buffer, inUse = false): void {
    if (buffer !== this.buffer) return;
    if (inUse) this.buffer = null;
    this.taken = false;
  }
}
