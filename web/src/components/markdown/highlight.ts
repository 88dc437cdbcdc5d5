// Loaded on demand by CodeBlock: the grammars are most of the weight, and most messages have no code.
import { common, createLowlight } from 'lowlight';
import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import type { ReactNode } from 'react';

const lowlight = createLowlight(common);

/**
 * Highlighted code as React elements (no HTML strings anywhere). Only blocks that name a
 * language are highlighted: guessing costs a run of every grammar per block.
 */
export function highlight(code: string, language: string): ReactNode | null {
  const lang = language.toLowerCase();
  if (!lowlight.registered(lang)) return null;
  return toJsxRuntime(lowlight.highlight(lang, code), { Fragment, jsx, jsxs });
}
