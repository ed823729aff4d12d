/**
 * A child process's output, its last `keep` characters kept. Positions count every character ever
 * received, so "the output since position p" stays right after the beginning has been dropped
 * (the length of the kept text stops growing once it is full: a test that remembered it waited
 * forever for anything later).
 */
export class KeptOutput {
  private kept = '';
  private received = 0;

  constructor(private readonly keep: number) {}

  add(chunk: Buffer | string): void {
    const text = chunk.toString();
    this.received += text.length;
    this.kept = (this.kept + text).slice(-this.keep);
  }

  /** The kept output. */
  get text(): string {
    return this.kept;
  }

  /** Characters received so far: a position for `since`. */
  get length(): number {
    return this.received;
  }

  /** The output after `position` (as much of it as is kept). */
  since(position: number): string {
    const dropped = this.received - this.kept.length;
    return this.kept.slice(Math.max(0, position - dropped));
  }
}
