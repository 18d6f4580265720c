type TypedArray = Int32Array | Float64Array;
type TypedArrayConstructor<A extends TypedArray> = new (length: number) => A;

/** A typed-array column that grows by doubling. Internal to the builders. */
class Growable<A extends TypedArray> {
  private data: A;
  length = 0;
  constructor(private readonly Ctor: TypedArrayConstructor<A>, initial = 1024) {
    this.data = new Ctor(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new this.Ctor(this.data.length * 2);
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
  /** A right-sized copy. */
  finish(): A {
    return this.data.slice(0, this.length) as A;
  }
}

/** A growable Int32 column. */
export class GrowableInt32 extends Growable<Int32Array> {
  constructor(initial = 1024) {
    super(Int32Array, initial);
  }
}

/** A growable Float64 column. */
export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(initial = 1024) {
    super(Float64Array, initial);
  }
}
