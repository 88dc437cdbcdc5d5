import type { FormInstance } from 'antd';
import { ApiError } from './api-client';

/** Puts the server's per-field validation messages on the matching form fields. Returns true if any matched. */
export function applyFieldErrors(form: FormInstance, err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields = Object.entries(err.fieldErrors)
    .filter(([name]) => known.has(name))
    .map(([name, errors]) => ({ name, errors }));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
