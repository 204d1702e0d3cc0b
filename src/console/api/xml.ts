// The Query protocol's XML answers as plain values: an element with children becomes an object keyed by their
// names, a list (children all named <item>) an array, a leaf its text. An empty list arrives as an empty element,
// so readers take lists through items().
export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };
export type XmlObject = { [name: string]: XmlValue };

export function parseXml(text: string): XmlObject {
  const document = new DOMParser().parseFromString(text, "application/xml");
  const root = document.documentElement;
  if (root.nodeName === "parsererror" || document.getElementsByTagName("parsererror").length) throw new Error("The server's answer is not XML.");
  return { [root.localName]: valueOfElement(root) };
}

function valueOfElement(element: Element): XmlValue {
  const children = Array.from(element.children);
  if (children.length === 0) return element.textContent ?? "";
  if (children.every((child) => child.localName === "item")) return children.map(valueOfElement);
  const result: XmlObject = {};
  for (const child of children) result[child.localName] = valueOfElement(child);
  return result;
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
