// Source citations in words: a seed file name (003_2c62b06a88ff33d5.txt)
// shown with the document's title, the file name kept beside it so an
// evaluator can open the very file. Titles come from metrics/sources.ts.

import { SOURCE_FILE_PATTERN, type SourceDocument, sourceDocument } from '../../metrics/sources.ts';
import { type Lang, paren } from './i18n.ts';

export type SourcePart = { text: string } | { doc: SourceDocument };

/**
 * The citation split into plain text and known documents, in order. In
 * English a Chinese remark in full-width brackets after a file keeps its
 * words but takes ASCII brackets.
 */
export function sourceParts(text: string | null | undefined, lang: Lang = 'zh'): SourcePart[] {
  if (!text) return [];
  const out: SourcePart[] = [];
  let last = 0;
  for (const m of text.matchAll(SOURCE_FILE_PATTERN)) {
    const doc = sourceDocument(m[0]);
    if (!doc) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ doc });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  if (lang === 'en') for (const p of out) if ('text' in p) p.text = p.text.replace(/^（/, ' (').replace(/）$/, ')');
  return out;
}

export function docTitle(doc: SourceDocument, lang: Lang, short = false): string {
  const title = short ? doc.short : doc;
  return lang === 'zh' ? `《${title.zh}》` : title.en;
}

/** What a tooltip says of a document: its full title, origin and year. */
export function docTooltip(doc: SourceDocument, lang: Lang): string {
  const origin = lang === 'zh' ? doc.origin.zh : doc.origin.en;
  return `${docTitle(doc, lang)}\n${doc.year ? `${origin} · ${doc.year}` : origin}`;
}

/** Plain text: each known file as its title with the file name in brackets (print, exports). */
export function sourceText(text: string | null | undefined, lang: Lang): string {
  return sourceParts(text, lang)
    .map((p) => ('doc' in p ? `${docTitle(p.doc, lang)}${paren(p.doc.file, lang)}` : p.text))
    .join('');
}

/**
 * A citation with each known file as its title (`short`: the short name, for
 * dense tables), the file name small beside it, the full title, origin and
 * year in its tooltip.
 */
export function SourceRef({ text, lang, short = false }: { text: string | null | undefined; lang: Lang; short?: boolean }) {
  return (
    <span className="source-ref">
      {sourceParts(text, lang).map((p, i) =>
        'doc' in p ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <span key={i} className="source-doc" data-file={p.doc.file} title={docTooltip(p.doc, lang)}>
            {docTitle(p.doc, lang, short)} <span className="source-file">{p.doc.file}</span>
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <span key={i}>{p.text}</span>
        ),
      )}
    </span>
  );
}
