type Props = Partial<Pick<HTMLElement, 'className' | 'id' | 'title'>> & Record<string, unknown>;

/** Minimal element builder: properties are assigned, children are nodes or text. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) (el as unknown as Record<string, unknown>)[key] = value;
  }
  for (const child of children) el.append(child);
  return el;
}

/** Replaces all children of `el`. */
export function replaceChildren(el: Element, children: (Node | string)[]): void {
  el.replaceChildren(...children);
}
