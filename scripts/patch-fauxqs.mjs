// Gives fauxqs 1.9's SNS filter policies Amazon's String.Array semantics: a condition on an attribute whose
// DataType is String.Array matches when it matches any element of the array. fauxqs compares the whole JSON
// text instead, so the focal-point filter policies (`{"focalPoints": ["fp-psea"]}`) would never match there.
// Runs on `npm install` (postinstall); idempotent; does nothing if fauxqs has changed shape.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARKER = '/* cfm: String.Array */';
const here = dirname(fileURLToPath(import.meta.url));
const file = join(here, '..', 'node_modules', 'fauxqs', 'dist', 'sns', 'filter.js');
if (!existsSync(file)) process.exit(0);
const source = readFileSync(file, 'utf8');
if (source.includes(MARKER)) process.exit(0);
const anchor = '    const attr = attributes[key];\n';
if (!source.includes(anchor)) {
  console.warn('patch-fauxqs: fauxqs filter.js has changed; String.Array filter semantics not patched');
  process.exit(0);
}
const patch = `${anchor}    ${MARKER}
    if (attr !== undefined && attr.DataType === "String.Array") {
        let elements;
        try { elements = JSON.parse(attr.StringValue ?? "[]"); } catch { elements = []; }
        if (!Array.isArray(elements)) elements = [];
        for (const condition of conditions) {
            if (condition !== null && typeof condition === "object" && "exists" in condition) {
                if (condition.exists) return true;
                continue;
            }
            for (const element of elements) {
                const single = typeof element === "number"
                    ? { DataType: "Number", StringValue: String(element) }
                    : { DataType: "String", StringValue: String(element) };
                if (matchesSingleCondition(condition, single)) return true;
            }
        }
        return false;
    }
`;
writeFileSync(file, source.replace(anchor, patch));
