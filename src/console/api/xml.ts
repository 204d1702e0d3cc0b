// The Query protocol's XML answers as plain values: an element with children becomes an object keyed by their
// names, a list (children all named <item>) an array, a leaf its text. An empty list arrives as an empty element,
// so readers take lists through items().
//
// Read with a small scanner over the text rather than DOMParser: the answers are the server's own plain XML (no
// DTD, no namespaces prefixes that matter, no mixed content), and building a DOM and walking it cost the console
// seconds on a catalog's worth of answers (10,000 images are 9 MB), several times what the scan costs.
export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };
export type XmlObject = { [name: string]: XmlValue };

class NotXml extends Error {
  constructor() {
    super("The server's answer is not XML.");
  }
}

/** An open element while its children are read: their names and values in order, and its text. */
interface OpenElement {
  name: string;
  names: string[];
  values: XmlValue[];
  text: string;
}

export function parseXml(text: string): XmlObject {
  const stack: OpenElement[] = [];
  let root: XmlObject | undefined;
  let at = 0;
  for (;;) {
    const open = text.indexOf("<", at);
    const between = text.slice(at, open < 0 ? text.length : open);
    const current = stack[stack.length - 1];
    if (current) current.text += between.includes("&") ? decodeEntities(between) : between;
    else if (between.trim()) throw new NotXml();
    if (open < 0) break;
    const next = text.charCodeAt(open + 1);
    if (next === 63 /* ? */) {
      at = endOf(text, "?>", open);
    } else if (next === 33 /* ! */) {
      if (text.startsWith("<!--", open)) at = endOf(text, "-->", open);
      else if (text.startsWith("<![CDATA[", open) && current) {
        at = endOf(text, "]]>", open);
        current.text += text.slice(open + 9, at - 3);
      } else throw new NotXml();
    } else if (next === 47 /* / */) {
      const close = text.indexOf(">", open);
      if (close < 0 || !current || text.slice(open + 2, close).trim() !== current.name) throw new NotXml();
      stack.pop();
      const value = valueOfElement(current);
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.names.push(localName(current.name));
        parent.values.push(value);
      } else if (root) throw new NotXml();
      else root = { [localName(current.name)]: value };
      at = close + 1;
    } else {
      const close = endOfTag(text, open);
      const selfClosing = text.charCodeAt(close - 1) === 47; /* / */
      const tag = text.slice(open + 1, selfClosing ? close - 1 : close);
      const name = /^[^\s/>]+/.exec(tag)?.[0];
      if (!name || (!current && root)) throw new NotXml();
      if (selfClosing) {
        if (!current) root = { [localName(name)]: "" };
        else {
          current.names.push(localName(name));
          current.values.push("");
        }
      } else stack.push({ name, names: [], values: [], text: "" });
      at = close + 1;
    }
  }
  if (!root || stack.length) throw new NotXml();
  return root;
}

function valueOfElement(element: OpenElement): XmlValue {
  const { names, values } = element;
  if (names.length === 0) return element.text;
  if (names.every((name) => name === "item")) return values;
  const result: XmlObject = {};
  for (let i = 0; i < names.length; i++) result[names[i]!] = values[i]!;
  return result;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

function endOf(text: string, terminator: string, from: number): number {
  const found = text.indexOf(terminator, from);
  if (found < 0) throw new NotXml();
  return found + terminator.length;
}

/** The `>` that ends a start tag, past any quoted attribute value that holds one. */
function endOfTag(text: string, open: number): number {
  let quote = 0;
  for (let i = open + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (quote) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) quote = code;
    else if (code === 62 /* > */) return i;
    else if (code === 60 /* < */) break;
  }
  throw new NotXml();
}

const namedEntities: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (_whole, entity: string | undefined) => {
    if (!entity) throw new NotXml();
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    const named = namedEntities[entity];
    if (named === undefined) throw new NotXml();
    return named;
  });
}

/** A list member: its items, or none when the element is empty or absent. */
export function items(value: XmlValue | undefined): XmlObject[] {
  return Array.isArray(value) ? (value as XmlObject[]) : [];
}

/** A list of strings (StringList members). */
export function strings(value: XmlValue | undefined): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export function text(value: XmlValue | undefined): string {
  return typeof value === "string" ? value : "";
}

export function child(value: XmlValue | undefined, name: string): XmlValue | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? value[name] : undefined;
}
