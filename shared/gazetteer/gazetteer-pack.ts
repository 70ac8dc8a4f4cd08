/**
 * The gazetteer as a Lambda bundle carries it: the committed `data/gazetteer/iraq-admin.json`, minified, deflated and
 * in base64. Inlined as an object literal it was about 50 KB of every function that places a case (the router and
 * the SMS webhooks, which it pushed over their 600 KB start-size goal); packed it is about 13 KB, and inflating it at
 * the first lookup takes about a millisecond. scripts/pack-gazetteer.ts writes the pack to gazetteer.data.ts, and a
 * unit test fails when the pack no longer holds the JSON file's data. The compressed bytes may differ between zlib
 * versions; only the data they hold is compared.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export function packGazetteer(json: string): string {
  const minified = JSON.stringify(JSON.parse(json));
  return deflateRawSync(Buffer.from(minified, 'utf8'), { level: 9 }).toString('base64');
}

/** The data a pack holds, parsed but not yet checked (Gazetteer.from checks it). */
export function unpackGazetteer(pack: string): unknown {
  return JSON.parse(inflateRawSync(Buffer.from(pack, 'base64')).toString('utf8'));
}
