/**
 * A small, strict XML reader for TwiML: elements, attributes, text, the five named entities and character
 * references, comments and CDATA. Anything malformed (an unclosed or mismatched tag, a bare `&` or `<`, text after
 * the root) throws, so a test that parses TwiML with it also checks that the TwiML is well-formed.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  constructor(message: string, at: number) {
    super(`${message} at offset ${at}`);
    this.name = 'XmlError';
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlError('bare "&"', at);
    if (ref in NAMED) return NAMED[ref] as string;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (!num?.[1]) throw new XmlError(`unknown entity &${ref};`, at);
    const code = num[1].startsWith('x') ? Number.parseInt(num[1].slice(1), 16) : Number(num[1]);
    return String.fromCodePoint(code);
  });
}

export function parseXml(text: string): XmlElement {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('unclosed comment', i);
        i = end + 3;
      } else if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i + 2);
        if (end < 0) throw new XmlError('unclosed processing instruction', i);
        i = end + 2;
      } else return;
    }
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) throw new XmlError('expected a name', i);
    i += m[0].length;
    return m[0];
  };

  const element = (): XmlElement => {
    if (text[i] !== '<') throw new XmlError('expected "<"', i);
    i++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attributes, children: [] };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new XmlError('expected whitespace before an attribute', i);
      const attr = name();
      skipSpace();
      if (text[i] !== '=') throw new XmlError(`expected "=" after ${attr}`, i);
      i++;
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") throw new XmlError('expected a quoted value', i);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) throw new XmlError('unclosed attribute value', i);
      const raw = text.slice(i + 1, end);
      if (raw.includes('<')) throw new XmlError('"<" in an attribute value', i);
      if (attr in attributes) throw new XmlError(`repeated attribute ${attr}`, i);
      attributes[attr] = decode(raw, i);
      i = end + 1;
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= text.length) throw new XmlError(`unclosed <${tag}>`, i);
      if (text.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) throw new XmlError(`</${closing}> closes <${tag}>`, i);
        skipSpace();
        if (text[i] !== '>') throw new XmlError('expected ">"', i);
        i++;
        return { name: tag, attributes, children };
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('unclosed comment', i);
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) throw new XmlError('unclosed CDATA', i);
        children.push(text.slice(i + 9, end));
        i = end + 3;
      } else if (text[i] === '<') {
        children.push(element());
      } else {
        const end = text.indexOf('<', i);
        const raw = text.slice(i, end < 0 ? text.length : end);
        if (raw.includes('>') && raw.includes(']]>')) throw new XmlError('"]]>" in text', i);
        children.push(decode(raw, i));
        i += raw.length;
      }
    }
  };

  skipMisc();
  const root = element();
  skipMisc();
  if (i !== text.length) throw new XmlError('content after the root element', i);
  return root;
}

export const childElements = (el: XmlElement): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string');

/** The text of an element and its descendants. */
export const textOf = (el: XmlElement): string =>
  el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

/** Every element of the tree, depth first, the root included. */
export function allElements(el: XmlElement): XmlElement[] {
  return [el, ...childElements(el).flatMap(allElements)];
}
