// A few lines instead of a framework: elements built from a tag, attributes and children.
type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A <select> over fixed options, calling back with the chosen value. */
export function select(label: string, options: ReadonlyArray<readonly [value: string, text: string]>, value: string, onChange: (value: string) => void) {
  const id = `select-${label.toLowerCase().replace(/\W+/g, "-")}`;
  const control = h(
    "select",
    { id, onchange: (event: Event) => onChange((event.target as HTMLSelectElement).value) },
    ...options.map(([optionValue, text]) => h("option", { value: optionValue, selected: optionValue === value }, text)),
  );
  return h("label", { class: "field", for: id }, h("span", {}, label), control);
}

/** A message for the user when a call fails: the API's error code and its words. */
export function errorBox(error: unknown): HTMLElement {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return h("p", { class: "error", role: "alert" }, h("strong", {}, name === "Error" ? "Error" : name), ": ", message);
}
