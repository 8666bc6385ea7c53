import type { ResolvedProduct } from './finding.js';
import { list, record, text, texts, type JsonRecord } from './json-access.js';

/**
 * The CSAF 2.0 product tree (§3.1.8) as a lookup from product id to what the product is: its purl and CPE
 * (`product_identification_helper`), the vendor / product name / version branches above it, and for
 * relationship products (`X as a component of Y`) the platform Y.
 */

interface BranchPath {
  vendor: string | null;
  productName: string | null;
  version: string | null;
}

export class CsafProductTree {
  private readonly products = new Map<string, ResolvedProduct>();
  private readonly groups = new Map<string, string[]>();

  constructor(tree: JsonRecord) {
    this.walk(list(tree['branches']), { vendor: null, productName: null, version: null });
    for (const p of list(tree['full_product_names'])) this.addProduct(record(p), { vendor: null, productName: null, version: null });
    for (const g of list(tree['product_groups'])) {
      const group = record(g);
      const id = text(group['group_id']);
      if (id !== null) this.groups.set(id, texts(group['product_ids']));
    }
    for (const r of list(tree['relationships'])) this.addRelationship(record(r));
  }

  private walk(branches: readonly unknown[], path: BranchPath): void {
    for (const b of branches) {
      const branch = record(b);
      const name = text(branch['name']);
      const category = text(branch['category']);
      const here = {
        vendor: category === 'vendor' ? name : path.vendor,
        productName: category === 'product_name' ? name : path.productName,
        version: category === 'product_version' ? name : path.version,
      };
      if ('product' in branch) this.addProduct(record(branch['product']), here);
      this.walk(list(branch['branches']), here);
    }
  }

  private addProduct(product: JsonRecord, path: BranchPath): void {
    const id = text(product['product_id']);
    if (id === null) return;
    const helper = record(product['product_identification_helper']);
    this.products.set(id, {
      id,
      name: text(product['name']),
      vendor: path.vendor,
      productName: path.productName,
      version: path.version,
      purl: text(helper['purl']),
      cpe: text(helper['cpe']),
      platform: null,
    });
  }

  private addRelationship(relationship: JsonRecord): void {
    const full = record(relationship['full_product_name']);
    const id = text(full['product_id']);
    if (id === null) return;
    const component = this.products.get(text(relationship['product_reference']) ?? '');
    const platformId = text(relationship['relates_to_product_reference']);
    const platform = platformId === null ? undefined : this.products.get(platformId);
    const helper = record(full['product_identification_helper']);
    this.products.set(id, {
      id,
      name: text(full['name']),
      vendor: component?.vendor ?? null,
      productName: component?.productName ?? null,
      version: component?.version ?? null,
      // The relationship names the installed component; its own helper, if any, is the more precise one.
      purl: text(helper['purl']) ?? component?.purl ?? null,
      cpe: text(helper['cpe']) ?? component?.cpe ?? null,
      platform: platformId === null ? null : { id: platformId, name: platform?.name ?? null, cpe: platform?.cpe ?? null },
    });
  }

  /** The product, or null when the tree does not define the id. */
  product(id: string): ResolvedProduct | null {
    return this.products.get(id) ?? null;
  }

  /** `product_ids` plus the members of `group_ids`, as remediations, scores, threats and flags name products. */
  productIdsOf(item: JsonRecord): Set<string> {
    const ids = new Set(texts(item['product_ids']));
    for (const group of texts(item['group_ids'])) for (const id of this.groups.get(group) ?? []) ids.add(id);
    return ids;
  }
}
