import { Spin, type SpinProps } from 'antd';

/**
 * A spinner that says what is loading. Spin alone puts `aria-label` on a plain div, which axe
 * rejects (a name on an element without a role): this one is a named `status`.
 */
export function Loading({ label, ...props }: SpinProps & { label: string }) {
  const role = { role: 'status' };
  return <Spin {...props} {...role} aria-label={label} />;
}
