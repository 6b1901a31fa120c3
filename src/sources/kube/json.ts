/** Reading JSON and YAML documents whose shape is not promised: objects are checked before use. */
export type Fields = Record<string, unknown>;

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object, or an empty one when `value` is not an object. */
export function fields(value: unknown): Fields {
  return isFields(value) ? value : {};
}
