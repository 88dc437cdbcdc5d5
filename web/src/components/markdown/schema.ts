import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

// Everything Markdown and GFM can produce, and nothing else. Raw HTML never reaches this list:
// it is turned into text before sanitizing (see rawAsText), so these are the only elements a
// message can ever become, whatever its author typed.
const TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'del', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'input', 'a', 'img',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'sup', 'section',
];

export const SAFE_PROTOCOLS = ['http', 'https', 'mailto'];

export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: TAGS,
  protocols: { href: SAFE_PROTOCOLS, src: ['http', 'https'] },
  // Drop the contents of anything not allowed instead of keeping its text where it matters.
  strip: ['script', 'style', 'svg', 'math', 'iframe', 'object', 'embed'],
};

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * Links and images: http(s) and mailto only; relative URLs resolve against this server and
 * so are http(s) too. Everything else (javascript:, data:, vbscript:, file:) becomes empty.
 * Browsers ignore tabs and newlines inside a scheme, so those are removed before looking.
 */
export function safeUrl(url: string): string {
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, '');
  const scheme = compact.match(SCHEME)?.[1]?.toLowerCase();
  if (scheme === undefined) return url.trim();
  return SAFE_PROTOCOLS.includes(scheme) ? url.trim() : '';
}

/** Images only from this server, so a message can't make every reader's browser call a tracker. */
export function isSameOriginUrl(src: string, origin = window.location.origin): boolean {
  if (!src) return false;
  try {
    return new URL(src, origin).origin === origin;
  } catch {
    return false;
  }
}
