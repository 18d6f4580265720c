// Format: none; a helper of the callgrind importer (expand.ts), which expands the call
// graph of valgrind's "Callgrind Format Specification" heaviest node first.
/**
 * A max-heap of integer ids ordered by a key (ties: the smaller id first), so the heaviest
 * call-tree node is expanded first and a node budget is spent where the cost is.
 *
 * @example
 * const h = new MaxHeap(); h.push(0, 1.5); h.push(1, 9); h.pop(); // 1
 */
export class MaxHeap {
  private readonly ids: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  push(id: number, key: number): void {
    const { ids, keys } = this;
    let i = ids.length;
    ids.push(id);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(id, key, ids[p]!, keys[p]!)) break;
      ids[i] = ids[p]!;
      keys[i] = keys[p]!;
      i = p;
    }
    ids[i] = id;
    keys[i] = key;
  }

  /** Removes and returns the id with the largest key; -1 when empty. */
  pop(): number {
    const { ids, keys } = this;
    if (ids.length === 0) return -1;
    const top = ids[0]!;
    const id = ids.pop()!;
    const key = keys.pop()!;
    const n = ids.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.before(ids[r]!, keys[r]!, ids[l]!, keys[l]!) ? r : l;
        if (!this.before(ids[c]!, keys[c]!, id, key)) break;
        ids[i] = ids[c]!;
        keys[i] = keys[c]!;
        i = c;
      }
      ids[i] = id;
      keys[i] = key;
    }
    return top;
  }

  private before(a: number, ka: number, b: number, kb: number): boolean {
    return ka > kb || (ka === kb && a < b);
  }
}
