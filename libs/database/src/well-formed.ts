/** A UTF-16 surrogate without its pair: UTF-8 cannot encode it, so PostgreSQL cannot store it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with each lone surrogate replaced by U+FFFD, as UTF-8 storage would do. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/**
 * A JSON-like value with `change` applied to every string in it, keys included, at any depth.
 * Keys are defined, not assigned: a `__proto__` key stays a key, not the copy's prototype.
 */
export function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(copy, change(key), {
        value: mapStrings(item, change),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return copy;
  }
  return value;
}
