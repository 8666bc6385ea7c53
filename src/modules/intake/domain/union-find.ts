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
