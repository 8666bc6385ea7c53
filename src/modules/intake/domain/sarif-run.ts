import type { FieldIssue } from '../../../platform/errors.js';
import { fileUriOf, isAbsoluteUri, normalizeRelativePath, relativeToBase, withoutCheckoutPrefix } from './artifact-path.js';
import { cwesInText, normalizeCwe } from './cwe.js';
import type { Target, ToolRef } from './finding.js';
import { integer, isRecord, list, pointer, record, text, type JsonRecord } from './json-access.js';
import { repositoryTarget } from './targets.js';

/**
 * What the results of one SARIF run share: the tool, the artifact table, the rule tables of the driver and
 * its extensions, the taxonomies, and the base URIs paths are relative to (SARIF 2.1.0 §3.14).
 */

interface ResolvedBase {
  readonly absolute: string | null;
  readonly prefix: string;
}

export interface ResolvedRule {
  readonly rule: JsonRecord | null;
  readonly id: string | null;
  /** JSON pointer of the rule object in the log, when found. */
  readonly pointer: string | null;
}

// A chain of base ids longer than this is a loop (SARIF forbids cycles; the schema cannot).
const MAX_BASE_CHAIN = 16;

export class SarifRun {
  readonly tool: ToolRef;
  readonly organization: string | null;
  readonly repository: Target | null;
  private readonly bases = new Map<string, ResolvedBase>();
  private readonly absoluteBases: string[] = [];

  constructor(
    readonly run: JsonRecord,
    readonly runPointer: string,
    private readonly warnings: FieldIssue[],
  ) {
    const driver = record(record(run['tool'])['driver']);
    this.tool = {
      name: text(driver['name']) ?? 'unknown',
      version: text(driver['version']) ?? text(driver['semanticVersion']) ?? text(driver['dottedQuadFileVersion']),
    };
    this.organization = text(driver['organization']);
    const vcs = record(list(run['versionControlProvenance'])[0]);
    const repoUri = text(vcs['repositoryUri']);
    this.repository = repoUri === null ? null : repositoryTarget(repoUri, text(vcs['revisionId']));
    const declared = record(run['originalUriBaseIds']);
    for (const name of Object.keys(declared)) {
      const base = this.resolveBase(name, declared, 0);
      if (base.absolute !== null) this.absoluteBases.push(base.absolute + base.prefix);
    }
  }

  private resolveBase(name: string, declared: JsonRecord, depth: number): ResolvedBase {
    const cached = this.bases.get(name);
    if (cached) return cached;
    const entry = declared[name];
    let resolved: ResolvedBase = { absolute: null, prefix: '' };
    if (isRecord(entry) && depth < MAX_BASE_CHAIN) {
      const uri = text(entry['uri']) ?? '';
      const parent = text(entry['uriBaseId']);
      if (isAbsoluteUri(uri)) resolved = { absolute: uri, prefix: '' };
      else if (parent !== null) {
        const up = this.resolveBase(parent, declared, depth + 1);
        resolved = { absolute: up.absolute, prefix: up.prefix + uri };
      } else resolved = { absolute: null, prefix: uri };
    }
    this.bases.set(name, resolved);
    return resolved;
  }

  /**
   * The normalized relative path of an `artifactLocation`: its own `uri`, or the run's `artifacts[index]`
   * when only the index is given; relative to its `uriBaseId`, or made relative to the longest declared base
   * when it is absolute. Warns (and keeps what it can) when the path is absolute or climbs above its root.
   */
  artifactPath(location: JsonRecord, at: string): string | null {
    let uri = text(location['uri']);
    let baseId = text(location['uriBaseId']);
    const index = integer(location['index']);
    if (uri === null && index !== null) {
      const artifact = record(record(list(this.run['artifacts'])[index])['location']);
      uri = text(artifact['uri']);
      baseId ??= text(artifact['uriBaseId']);
    }
    if (uri === null) return null;
    let relative: string;
    if (isAbsoluteUri(uri)) {
      const fromBase = relativeToBase(uri, this.absoluteBases);
      relative = fromBase ?? this.absoluteFallback(uri);
    } else {
      if (baseId === null) {
        // A bare absolute path (`/home/runner/work/…`, `D:\a\…`) is a file URI without its scheme.
        const asFile = fileUriOf(uri);
        relative = (asFile === null ? null : relativeToBase(asFile, this.absoluteBases)) ?? uri;
      } else {
        // Relative to a base id, a leading "/" (Contrast writes `/webgoat/Default.aspx`) is not the file system root.
        const base = this.resolveBase(baseId, record(this.run['originalUriBaseIds']), 0);
        relative = base.prefix + uri.replace(/^\/+/, '');
      }
    }
    let normalized = normalizeRelativePath(relative);
    if (normalized === null) return null;
    if (normalized.absolute) {
      // Under a CI service's checkout folder, the path inside the repository is what another runner reports.
      const path = withoutCheckoutPrefix(normalized.path, { absolute: true, repositoryPath: this.repositoryPath() });
      if (path !== normalized.path) normalized = { ...normalized, path, absolute: false };
    }
    if (normalized.escaped)
      this.warnings.push({ pointer: pointer(at, 'uri'), detail: 'climbs above its base with ".."; those segments were dropped' });
    if (normalized.absolute)
      this.warnings.push({
        pointer: pointer(at, 'uri'),
        detail: 'is absolute and under no originalUriBaseIds entry; kept relative to the file system root',
      });
    return normalized.path;
  }

  /** The path of the run's repository (`shop/shopfront` of `repo:gitlab.com/shop/shopfront`), when it names one. */
  private repositoryPath(): string | null {
    const identity = this.repository?.identity ?? '';
    const slash = identity.indexOf('/');
    return identity.startsWith('repo:') && slash > 0 ? identity.slice(slash + 1) : null;
  }

  private absoluteFallback(uri: string): string {
    if (/^file:/i.test(uri)) return uri;
    try {
      const url = new URL(uri);
      return `${url.host}${url.pathname}`;
    } catch {
      return uri;
    }
  }

  /** The rule a result refers to, by `rule.index`/`ruleIndex` in the driver or the extension `rule.toolComponent.index` names, else by id. */
  ruleOf(result: JsonRecord): ResolvedRule {
    const ref = record(result['rule']);
    const id = text(result['ruleId']) ?? text(ref['id']);
    const index = integer(ref['index']) ?? integer(result['ruleIndex']);
    const componentIndex = integer(record(ref['toolComponent'])['index']);
    const tool = record(this.run['tool']);
    const component =
      componentIndex === null
        ? { value: record(tool['driver']), at: pointer(this.runPointer, 'tool', 'driver') }
        : { value: record(list(tool['extensions'])[componentIndex]), at: pointer(this.runPointer, 'tool', 'extensions', componentIndex) };
    const rules = list(component.value['rules']);
    let found = index === null ? -1 : index;
    if (!isRecord(rules[found]) && id !== null) found = rules.findIndex((r) => isRecord(r) && r['id'] === id);
    const rule = rules[found];
    if (!isRecord(rule)) return { rule: null, id, pointer: null };
    return { rule, id: id ?? text(rule['id']), pointer: pointer(component.at, 'rules', found) };
  }

  private isCweComponent(reference: unknown): boolean {
    const ref = record(reference);
    const index = integer(ref['index']);
    const name = text(ref['name']) ?? (index === null ? null : text(record(list(this.run['taxonomies'])[index])['name']));
    return name !== null && /^cwe$/i.test(name);
  }

  /** CWE ids from `result.taxa`, the rule's `relationships`, CodeQL-style tags and a rule id such as `CWE-79`. */
  cwesOf(result: JsonRecord, rule: JsonRecord | null, ruleId: string | null): string[] {
    const out: string[] = [];
    const fromReferences = (refs: unknown) => {
      for (const item of list(refs)) {
        const ref = record(item);
        const target = isRecord(ref['target']) ? ref['target'] : ref;
        if (!this.isCweComponent(target['toolComponent'])) continue;
        const cwe = normalizeCwe(target['id']);
        if (cwe !== null) out.push(cwe);
      }
    };
    fromReferences(result['taxa']);
    fromReferences(rule?.['relationships']);
    for (const bag of [record(rule?.['properties']), record(result['properties'])]) {
      for (const tag of list(bag['tags'])) if (typeof tag === 'string') out.push(...cwesInText(tag));
    }
    if (ruleId !== null) out.push(...cwesInText(ruleId));
    return out;
  }
}
