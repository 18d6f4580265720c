/** A typed-array column that grows by doubling. Internal to the builders. */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Int32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  /** A right-sized copy. */
  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** A Float64 column that grows by doubling. Internal to the builders. */
export class GrowableFloat64 {
  private data: Float64Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Float64Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  add(i: number, v: number): void {
    this.data[i]! += v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
