import { memo, useMemo, type ReactNode } from 'react';
import ReactMarkdown, { type Components, type Options } from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import rehypeSanitize from 'rehype-sanitize';
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { CodeBlock } from './code-block';
import { rehypeChips, type MentionTarget, type TicketRef } from './mentions';
import { isSameOriginUrl, safeUrl, sanitizeSchema } from './schema';
import { TicketLink, TicketRefsContext } from './ticket-link';

export type { MentionTarget, TicketRef } from './mentions';

interface Props {
  content: string;
  /** Resolves a lower-cased `@name` to the person it mentions, or null. */
  mentionLookup?: (lowerName: string) => MentionTarget | null;
  tickets?: ReadonlyMap<string, TicketRef>;
}

/**
 * Raw HTML in a message is shown as the text the author typed. react-markdown would do this
 * itself after the rehype plugins, but the sanitizer runs first and drops unknown node types,
 * which would make `<b>hi</b>` vanish instead of showing.
 */
function rehypeRawAsText() {
  return (tree: Root) => {
    visit(tree, 'raw', (node, index, parent) => {
      if (!parent || index === undefined) return;
      const text = { type: 'text', value: (node as { value: string }).value } as const;
      // A block of HTML sits directly in the root: give it a paragraph so it keeps its lines.
      const replacement: ElementContent =
        parent.type === 'root' ? ({ type: 'element', tagName: 'p', properties: { className: ['sb-raw-html'] }, children: [text] } satisfies Element) : text;
      parent.children[index] = replacement;
    });
  };
}

function textOf(node: Element | ElementContent | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

const components: Components = {
  a({ node, href, children, className, title }) {
    const ticket = node?.properties?.dataTicket;
    if (typeof ticket === 'string') {
      return (
        <TicketLink ticketKey={ticket} className={className} title={title}>
          {children}
        </TicketLink>
      );
    }
    if (!href) return <span>{children}</span>;
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" title={title}>
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    const url = typeof src === 'string' ? src : '';
    // Foreign images would let a sender see who reads the message and when.
    if (!isSameOriginUrl(url)) return <span className="sb-blocked-image">{alt ? `[image: ${alt}]` : '[image]'}</span>;
    return <img src={url} alt={alt ?? ''} loading="lazy" className="sb-md-image" />;
  },
  pre({ node }) {
    const code = node?.children.find((c): c is Element => c.type === 'element' && c.tagName === 'code');
    const cls = code?.properties?.className;
    const language = (Array.isArray(cls) ? cls : []).map(String).find((c) => c.startsWith('language-'))?.slice('language-'.length) ?? null;
    return <CodeBlock code={textOf(code).replace(/\n$/, '')} language={language} />;
  },
  table({ children }) {
    // Wide tables scroll inside the message instead of widening the page.
    return (
      <div className="sb-table-wrap" tabIndex={0} role="region" aria-label="Table">
        <table>{children}</table>
      </div>
    );
  },
  input({ checked, type }) {
    if (type !== 'checkbox') return null;
    return <input type="checkbox" checked={!!checked} disabled aria-label={checked ? 'Done' : 'Not done'} readOnly />;
  },
};

const REMARK_PLUGINS: Options['remarkPlugins'] = [remarkGfm, remarkBreaks];

function urlTransform(url: string): string {
  return safeUrl(url);
}

/** A message's Markdown as React elements: sanitized, links to new tabs, images only from this server. */
export const Markdown = memo(function Markdown({ content, mentionLookup, tickets }: Props): ReactNode {
  const rehypePlugins = useMemo<Options['rehypePlugins']>(
    () => [rehypeRawAsText, [rehypeSanitize, sanitizeSchema], [rehypeChips, { lookup: mentionLookup, tickets }]],
    [mentionLookup, tickets],
  );
  return (
    <div className="sb-md">
      <TicketRefsContext.Provider value={tickets}>
        <ReactMarkdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={rehypePlugins} components={components} urlTransform={urlTransform}>
          {content}
        </ReactMarkdown>
      </TicketRefsContext.Provider>
    </div>
  );
});
