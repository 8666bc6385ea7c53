/**
 * The native submission format: the richest form, meant for AI scanners and anyone writing a tool for the
 * clearinghouse. Published as-is in the API docs, so every field carries its description.
 *
 * A document is `{ "schema": "clearinghouse/findings@1", "findings": [ … ] }`; `provenance` and `credit` at
 * the top apply to every finding that does not state its own.
 */

export const NATIVE_SCHEMA_MARKER = 'clearinghouse/findings@1';

const shortText = (maxLength: number, description: string) => ({ type: 'string', minLength: 1, maxLength, description }) as const;

const toolRef = {
  type: 'object',
  description: 'A named, versioned producer.',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: shortText(200, 'Tool or model name, e.g. "codeql" or "example-model".'),
    version: shortText(100, 'Its version, e.g. "2.19.1".'),
  },
} as const;

const provenance = {
  type: 'object',
  description: 'Who or what produced the finding.',
  additionalProperties: false,
  anyOf: [{ required: ['tool'] }, { required: ['model'] }],
  properties: {
    tool: { ...toolRef, description: 'The scanner that produced the finding.' },
    model: { ...toolRef, description: 'The AI model that produced or triaged the finding.' },
    aiGenerated: { type: 'boolean', description: 'True when an AI system wrote the report (text, proof or both).' },
    campaignId: shortText(100, 'The scan campaign registered with the clearinghouse that this finding came from.'),
  },
} as const;

const credit = {
  type: 'object',
  description: 'How the reporter wants to be credited in advisories.',
  required: ['mode'],
  additionalProperties: false,
  properties: {
    mode: {
      enum: ['named', 'organization', 'anonymous'],
      description: '"named": credit `name`; "organization": credit the reporting organisation only; "anonymous": no credit.',
    },
    name: shortText(200, 'The name to print when `mode` is "named".'),
    url: { type: 'string', format: 'uri', maxLength: 2000, description: 'A link to print with the credit.' },
  },
} as const;

const target = {
  description: 'What is vulnerable: exactly one of a package URL, a repository with a commit, or a CPE.',
  oneOf: [
    {
      type: 'object',
      required: ['purl'],
      additionalProperties: false,
      properties: { purl: shortText(1000, 'A package URL (https://github.com/package-url/purl-spec), e.g. "pkg:npm/lodash@4.17.20".') },
    },
    {
      type: 'object',
      required: ['repository'],
      additionalProperties: false,
      properties: {
        repository: {
          type: 'object',
          description: 'A source repository at a commit.',
          required: ['url', 'commit'],
          additionalProperties: false,
          properties: {
            url: shortText(1000, 'Clone or web URL of the repository.'),
            commit: { type: 'string', pattern: '^[0-9a-fA-F]{7,64}$', description: 'The commit the finding was made on.' },
          },
        },
      },
    },
    {
      type: 'object',
      required: ['cpe'],
      additionalProperties: false,
      properties: {
        cpe: { type: 'string', pattern: '^cpe:(2\\.3:|/)', maxLength: 1000, description: 'A CPE 2.3 formatted string or CPE 2.2 URI.' },
      },
    },
  ],
} as const;

const location = {
  type: 'object',
  description: 'Where in the target the weakness is. Paths are relative to the repository or package root.',
  required: ['path'],
  additionalProperties: false,
  properties: {
    path: shortText(1000, 'Relative path with forward slashes, e.g. "src/parser.c". Must not climb above the root.'),
    function: shortText(500, 'Function or method containing the weakness.'),
    symbol: shortText(500, 'Other symbol (class, field, endpoint) the weakness is attached to.'),
    startLine: { type: 'integer', minimum: 1, description: 'First line (1-based). Shown to people; not used to deduplicate.' },
    endLine: { type: 'integer', minimum: 1, description: 'Last line (1-based).' },
    lineHash: shortText(200, 'Content-based hash of the primary line, as SARIF `primaryLocationLineHash`.'),
  },
} as const;

const evidence = {
  type: 'object',
  description: 'What lets a validator reproduce the finding.',
  additionalProperties: false,
  properties: {
    proofOfConcept: {
      type: 'array',
      maxItems: 50,
      description: 'Proof-of-concept files, uploaded separately as blobs and referenced here by SHA-256.',
      items: {
        type: 'object',
        required: ['sha256'],
        additionalProperties: false,
        properties: {
          sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256 of the blob.' },
          name: shortText(255, 'File name to show.'),
          mediaType: shortText(255, 'Media type, e.g. "text/x-python".'),
        },
      },
    },
    reproductionSteps: { type: 'array', maxItems: 100, items: shortText(10000, 'One step.'), description: 'Steps, in order.' },
    affectedBuild: shortText(500, 'A build (version, commit, image digest) the proof succeeds on.'),
    fixedBuild: shortText(500, 'A build the proof fails on, if a fix is known.'),
  },
} as const;

const finding = {
  type: 'object',
  required: ['target', 'title'],
  additionalProperties: false,
  properties: {
    id: shortText(200, "The submitter's own id for this finding; echoed back in answers."),
    target,
    title: shortText(500, 'One-line summary.'),
    description: { type: 'string', maxLength: 65536, description: 'Full description (Markdown).' },
    aliases: {
      type: 'array',
      maxItems: 50,
      items: shortText(200, 'A vulnerability id: CVE, GHSA, OSV, …'),
      description: 'Known ids of this vulnerability, if any.',
    },
    ruleId: shortText(500, "The scanner's check or rule id."),
    cwe: {
      type: 'array',
      maxItems: 20,
      items: { type: 'string', pattern: '^(CWE-)?[1-9][0-9]{0,5}$', description: 'e.g. "CWE-79".' },
      description: 'Weakness types (CWE ids).',
    },
    affectedVersions: { type: 'array', maxItems: 1000, items: shortText(200, 'A version.'), description: 'Versions known to be affected.' },
    fixedVersions: { type: 'array', maxItems: 1000, items: shortText(200, 'A version.'), description: 'Versions known to be fixed.' },
    location,
    cvssVector: {
      type: 'string',
      pattern: '^(CVSS:(3\\.[01]|4\\.0)/|\\(?AV:)',
      maxLength: 400,
      description: 'A CVSS v2, v3.0, v3.1 or v4.0 vector string.',
    },
    evidence,
    provenance,
    credit,
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of a native findings document. Exported as an object so the API docs can
 * publish it and the validator compiles exactly what is published.
 */
export const NATIVE_FINDINGS_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://clearinghouse.invalid/schemas/findings-1.json',
  title: 'Clearinghouse native findings',
  description: 'One or more vulnerability findings in the clearinghouse native format (version 1).',
  type: 'object',
  required: ['schema', 'findings'],
  additionalProperties: false,
  properties: {
    schema: { const: NATIVE_SCHEMA_MARKER, description: 'Names the format and its version.' },
    provenance: { ...provenance, description: 'Default provenance of every finding in the document.' },
    credit: { ...credit, description: 'Default credit preference of every finding in the document.' },
    findings: { type: 'array', minItems: 1, maxItems: 100000, items: finding, description: 'The findings, at least one.' },
  },
} as const;
