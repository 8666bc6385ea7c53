/**
 * The type-specific rules of the purl specification (package-url/purl-spec `types/*-definition.json` and
 * their notes), as far as they change what a valid purl is or what its canonical form looks like. Types
 * not listed here follow the generic rules only (the specification allows any type that is syntactically
 * valid).
 */

export interface PurlParts {
  readonly type: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly version: string | null;
  readonly qualifiers: Readonly<Record<string, string>>;
  readonly subpath: string | null;
}

interface TypeRule {
  readonly namespace?: 'required' | 'prohibited';
  readonly lowerNamespace?: boolean;
  readonly lowerName?: boolean;
  readonly lowerVersion?: boolean;
  /** Qualifiers a valid purl of this type must carry. */
  readonly requiredQualifiers?: readonly string[];
  /** Further normalisation; returns the parts or a reason they are invalid. */
  readonly normalize?: (p: PurlParts) => PurlParts | string;
}

const lowerCaseHosts = new Set(['github', 'github.com', 'gitlab', 'gitlab.com', 'bitbucket', 'bitbucket.org']);

// A Databricks MLflow registry is case-insensitive and stores names lower-cased; Azure ML is case-sensitive.
function mlflowName(p: PurlParts): PurlParts {
  return /databricks/i.test(p.qualifiers['repository_url'] ?? '') ? { ...p, name: p.name.toLowerCase() } : p;
}

const RULES: Readonly<Record<string, TypeRule>> = {
  alpm: { namespace: 'required', lowerNamespace: true, lowerName: true },
  apk: { namespace: 'required', lowerNamespace: true, lowerName: true },
  bazel: { namespace: 'prohibited' },
  bitbucket: { namespace: 'required', lowerNamespace: true, lowerName: true },
  bitnami: { namespace: 'prohibited', lowerName: true },
  brew: { lowerNamespace: true, lowerName: true },
  cargo: { namespace: 'prohibited' },
  'chrome-extension': {
    namespace: 'prohibited',
    lowerName: true,
    normalize: (p) =>
      !/^[a-p]{32}$/.test(p.name)
        ? 'a chrome-extension name is 32 letters a–p'
        : p.version !== null && !/^\d+(\.\d+){0,3}$/.test(p.version)
          ? 'a chrome-extension version is one to four dot-separated numbers'
          : p,
  },
  cocoapods: { namespace: 'prohibited' },
  composer: { namespace: 'required', lowerNamespace: true, lowerName: true },
  conda: { namespace: 'prohibited' },
  cpan: {
    normalize: (p) =>
      p.name.includes('::')
        ? 'a cpan name is a distribution name, never a module name with "::"'
        : p.namespace !== null && p.namespace !== p.namespace.toUpperCase()
          ? 'a cpan namespace (CPAN id) is upper case'
          : p,
  },
  cran: { namespace: 'prohibited' },
  deb: { namespace: 'required', lowerNamespace: true, lowerName: true },
  gem: { namespace: 'prohibited' },
  git: {
    namespace: 'required',
    normalize: (p) =>
      lowerCaseHosts.has((p.namespace ?? '').toLowerCase())
        ? { ...p, namespace: p.namespace!.toLowerCase(), name: p.name.toLowerCase() }
        : p,
  },
  github: { namespace: 'required', lowerNamespace: true, lowerName: true },
  // Not 'required': a Go module path of one element is valid ("stdlib", "toolchain" in OSV, "aahframe.work").
  golang: {},
  hackage: { namespace: 'prohibited' },
  hex: { lowerNamespace: true, lowerName: true },
  huggingface: { namespace: 'required', lowerVersion: true },
  julia: { namespace: 'prohibited', requiredQualifiers: ['uuid'] },
  luarocks: { lowerNamespace: true, lowerName: true },
  maven: { namespace: 'required' },
  mlflow: { namespace: 'prohibited', normalize: mlflowName },
  nuget: { namespace: 'prohibited' },
  oci: { namespace: 'prohibited', lowerName: true, lowerVersion: true },
  opam: { namespace: 'prohibited' },
  otp: { namespace: 'prohibited', lowerName: true },
  pub: {
    namespace: 'prohibited',
    lowerName: true,
    normalize: (p) => ({ ...p, name: p.name.replace(/[^a-z0-9_]/g, '_') }),
  },
  pypi: { namespace: 'prohibited', lowerName: true, normalize: (p) => ({ ...p, name: p.name.replace(/_/g, '-') }) },
  qpkg: { namespace: 'required', lowerNamespace: true },
  rpm: { namespace: 'required', lowerNamespace: true },
  swid: { requiredQualifiers: ['tag_id'] },
  swift: { namespace: 'required' },
  vcpkg: { namespace: 'prohibited' },
  'vscode-extension': { namespace: 'required', lowerNamespace: true, lowerName: true, lowerVersion: true },
  yocto: { lowerNamespace: true },
};

/** Applies the type's rules to already-decoded parts: the normalised parts, or why they are invalid. */
export function applyTypeRules(parts: PurlParts): PurlParts | string {
  const rule = RULES[parts.type];
  if (rule === undefined) return parts;
  if (rule.namespace === 'required' && parts.namespace === null) return `a ${parts.type} purl needs a namespace`;
  if (rule.namespace === 'prohibited' && parts.namespace !== null) return `a ${parts.type} purl has no namespace`;
  for (const key of rule.requiredQualifiers ?? []) {
    if (parts.qualifiers[key] === undefined) return `a ${parts.type} purl needs the qualifier "${key}"`;
  }
  const cased: PurlParts = {
    ...parts,
    namespace: rule.lowerNamespace && parts.namespace !== null ? parts.namespace.toLowerCase() : parts.namespace,
    name: rule.lowerName ? parts.name.toLowerCase() : parts.name,
    version: rule.lowerVersion && parts.version !== null ? parts.version.toLowerCase() : parts.version,
  };
  return rule.normalize ? rule.normalize(cased) : cased;
}
