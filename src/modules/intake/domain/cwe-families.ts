/**
 * Coarse families of CWE ids, so that two reports of one bug filed under neighbouring CWEs (CWE-79 and
 * CWE-80, CWE-787 and CWE-120) are still compared as near duplicates. Families follow the parents in MITRE's
 * CWE-1003 "simplified mapping" view and the Top 25; a CWE listed in none is its own family.
 */

const FAMILIES: Readonly<Record<string, readonly number[]>> = {
  injection: [74, 75, 77, 78, 88, 89, 90, 91, 93, 94, 95, 96, 97, 113, 564, 643, 652, 917, 943, 1236, 1336],
  'cross-site-scripting': [79, 80, 81, 83, 84, 85, 86, 87],
  'path-traversal': [22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 73, 59, 61, 62],
  'memory-bounds': [119, 120, 121, 122, 123, 124, 125, 126, 127, 131, 170, 193, 466, 786, 787, 788, 805, 806, 823],
  'memory-lifecycle': [415, 416, 590, 761, 762, 763, 825],
  'null-dereference': [476, 690],
  'numeric-error': [128, 190, 191, 192, 194, 195, 196, 197, 369, 681, 682],
  authentication: [259, 287, 288, 289, 290, 294, 302, 303, 304, 305, 306, 307, 521, 522, 523, 613, 620, 640, 798, 1390, 1391],
  authorization: [250, 266, 269, 270, 271, 272, 274, 276, 280, 281, 282, 283, 284, 285, 425, 639, 648, 732, 862, 863, 1220],
  cryptography: [
    295, 296, 297, 310, 311, 312, 319, 320, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 334, 335, 337, 338, 347, 757, 759, 760,
    780, 916,
  ],
  'information-exposure': [200, 201, 203, 204, 208, 209, 210, 212, 213, 214, 215, 359, 497, 532, 538, 540, 548, 552, 598],
  deserialization: [502],
  'server-side-request-forgery': [918],
  'cross-site-request-forgery': [352, 1275],
  'xml-external-entities': [611, 776, 827],
  'resource-exhaustion': [400, 401, 404, 405, 407, 674, 770, 771, 772, 789, 834, 835, 920, 1333],
  'race-condition': [362, 363, 364, 366, 367, 368, 421, 662, 667, 820, 821],
  'input-validation': [20, 129, 1284, 1285, 1286, 1287, 1288, 1289, 606],
  'open-redirect': [601],
  'file-upload': [434],
  'prototype-pollution': [915, 1321],
  'log-injection': [117],
};

const FAMILY_OF = new Map<string, string>();
for (const [family, ids] of Object.entries(FAMILIES)) for (const id of ids) FAMILY_OF.set(`CWE-${id}`, family);

/** The family of one normalized CWE id (`CWE-80` → `cross-site-scripting`); the id itself when unlisted. */
export function cweFamily(cwe: string): string {
  return FAMILY_OF.get(cwe) ?? cwe;
}

/** The families of a finding's CWEs. */
export function cweFamilies(cwes: readonly string[]): Set<string> {
  return new Set(cwes.map(cweFamily));
}
