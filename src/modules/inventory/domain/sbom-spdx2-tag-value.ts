import { malformedSbom } from './sbom-errors.js';

/**
 * SPDX 2.x tag-value ("Tag: value" lines, `<text>…</text>` for multi-line values) turned into the
 * SPDX JSON object model that sbom-spdx2.ts reads. A `PackageName` line opens a package, `FileName` a
 * file and `SnippetSPDXID` a snippet; tags in between belong to the open element; `Relationship`
 * lines belong to the document wherever they stand.
 */

type Json = Record<string, unknown>;

interface TagLine {
  readonly tag: string;
  readonly value: string;
  readonly line: number;
}

function* tagLines(text: string): Generator<TagLine> {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const colon = raw.indexOf(':');
    if (colon <= 0) throw malformedSbom('SPDX tag-value', `line ${i + 1} is not "Tag: value"`, `/line/${i + 1}`);
    const tag = raw.slice(0, colon).trim();
    let value = raw.slice(colon + 1).trim();
    const start = i;
    if (value.startsWith('<text>')) {
      const parts = [value.slice('<text>'.length)];
      while (!(parts[parts.length - 1] as string).includes('</text>')) {
        i++;
        if (i >= lines.length)
          throw malformedSbom('SPDX tag-value', `the <text> opened on line ${start + 1} is never closed`, `/line/${start + 1}`);
        parts.push(lines[i] as string);
      }
      value = parts.join('\n').replace(/<\/text>[\s\S]*$/, '');
    }
    yield { tag, value, line: start + 1 };
  }
}

/** Converts tag-value text to an SPDX 2 JSON-shaped object. @throws InputError naming the bad line. */
export function spdxTagValueToJson(text: string): Json {
  const doc: Json = {};
  const packages: Json[] = [];
  const files: Json[] = [];
  const relationships: Json[] = [];
  let current: Json = doc;
  for (const { tag, value, line } of tagLines(text)) {
    switch (tag) {
      case 'SPDXVersion':
        doc['spdxVersion'] = value;
        break;
      case 'DocumentName':
        doc['name'] = value;
        break;
      case 'PackageName':
        current = { name: value, externalRefs: [] };
        packages.push(current);
        break;
      case 'FileName':
        current = { fileName: value };
        files.push(current);
        break;
      case 'SnippetSPDXID':
      case 'LicenseID':
        current = {};
        break;
      case 'SPDXID':
        current['SPDXID'] = value;
        break;
      case 'PackageVersion':
        current['versionInfo'] = value;
        break;
      case 'PrimaryPackagePurpose':
        current['primaryPackagePurpose'] = value;
        break;
      case 'ExternalRef': {
        const [category, type, ...locator] = value.split(/\s+/);
        if (!category || !type || locator.length === 0)
          throw malformedSbom('SPDX tag-value', `line ${line}: ExternalRef needs category, type and locator`, `/line/${line}`);
        (current['externalRefs'] as Json[] | undefined)?.push({
          referenceCategory: category,
          referenceType: type,
          referenceLocator: locator.join(' '),
        });
        break;
      }
      case 'Relationship': {
        const [a, type, b] = value.split(/\s+/);
        if (!a || !type || !b)
          throw malformedSbom('SPDX tag-value', `line ${line}: Relationship needs element, type and related element`, `/line/${line}`);
        relationships.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });
        break;
      }
      default:
        break;
    }
  }
  return { ...doc, packages, files, relationships };
}
