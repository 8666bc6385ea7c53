/** Disjoint sets over string keys (union by size, path halving): the transitive closure of "shares an id". */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  /** Adds a key as its own set; adding it again changes nothing. */
  add(key: string): void {
    if (this.parent.has(key)) return;
    this.parent.set(key, key);
    this.size.set(key, 1);
  }

  /** The representative of the key's set (the key is added if new). */
  find(key: string): string {
    this.add(key);
    let current = key;
    for (;;) {
      const parent = this.parent.get(current) as string;
      if (parent === current) return current;
      const grandparent = this.parent.get(parent) as string;
      this.parent.set(current, grandparent);
      current = grandparent;
    }
  }

  /** Joins the sets of two keys; returns false when they were already one. */
  union(a: string, b: string): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if ((this.size.get(ra) ?? 0) < (this.size.get(rb) ?? 0)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) ?? 0) + (this.size.get(rb) ?? 0));
    return true;
  }
}

/**
 * Disjoint sets over the numbers 0 … size-1 (union by size, path halving), in typed arrays: deduplication
 * joins a batch's findings by index, where string keys cost a map lookup and a new string per step (the
 * plan of a 1,000-finding submission, issue 14).
 */
export class IndexUnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    this.size = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  /** The representative of the number's set. */
  find(node: number): number {
    let current = node;
    for (;;) {
      const parent = this.parent[current]!;
      if (parent === current) return current;
      const grandparent = this.parent[parent]!;
      this.parent[current] = grandparent;
      current = grandparent;
    }
  }

  /** Joins the sets of two numbers; returns false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = this.size[ra]! + this.size[rb]!;
    return true;
  }
}
