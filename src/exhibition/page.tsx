import type { CSSProperties } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { FlashbookView, SlideView } from '../model/flashbook.ts';
import type { RichBlock } from '../model/richtext.ts';
import { richPlainText } from '../model/richtext.ts';
import type { AssetResolver } from '../slide/asset-resolver.ts';
import { AssetContext } from '../slide/assets.tsx';
import { RichBlocks } from '../slide/RichBlocks.tsx';
import { Slide, designOf } from '../slide/Slide.tsx';
import { slideLibrary } from '../model/read.ts';
import { coverHue, slideColors, themeById, type Theme } from '../slide/themes/themes.ts';
import type { Book, Exhibition, Section } from './content.ts';
import { langAttr, type PageLang } from './lang.ts';
import { pageCss } from './styles.ts';
import { formatDate, pageStrings } from './strings.ts';

/**
 * The exhibition page as one HTML document, rendered with react-dom/server: every title, author,
 * description, annotation and quote is text; nothing needs JavaScript (the Instagram view is a
 * `<details>` with a CSS scroll-snap track). React escapes all user text; the only raw HTML is the
 * JSON-LD, whose `<` are escaped so no `</script>` can close it.
 */
export interface PageInput {
  exhibition: Exhibition;
  /** For format, theme, brand colour and logo. */
  view: FlashbookView;
  publishedAt: number;
  /** Absolute address of the page (canonical, og:url). */
  canonicalUrl: string;
  /** Absolute address of the social preview image, if there is one. */
  ogImageUrl?: string;
  /** Where the page finds an image by asset id (relative in the ZIP, `/e/<slug>/images/…` online). */
  assetHref: (assetId: string) => string;
  /** @font-face rules of the fonts the page uses. */
  fontCss: string;
  /** The slide layer's stylesheet (src/slide/slide.css), for the Instagram view. */
  slideCss: string;
  /** The ZIP's address; absent inside the ZIP. */
  downloadHref?: string;
  /** The iframe snippet; absent inside the ZIP. */
  embedSnippet?: string;
}

/** Width of a slide in the Instagram view, CSS px: fits a 390 px phone with the page's margins. */
export const IG_SLIDE_WIDTH = 320;

/** The fonts (family, weight, style) the page's and the slides' styles use for a theme. */
export function pageFaces(themeId: string) {
  const theme = themeById(themeId);
  const family = (stack: string) => /^'([^']+)'/.exec(stack)?.[1] ?? stack;
  const heading = family(theme.fonts.heading);
  const body = family(theme.fonts.body);
  return [
    { family: heading, weight: theme.fonts.headingWeight, style: 'normal' as const },
    { family: heading, weight: 400, style: 'italic' as const },
    { family: body, weight: 400, style: 'normal' as const },
    { family: body, weight: 700, style: 'normal' as const },
  ];
}

/** Only http(s), mailto, tel and relative links survive; `javascript:` and friends do not. */
export function safeHref(href: string): string | undefined {
  const h = href.trim();
  if (/^(https?:|mailto:|tel:)/i.test(h)) return h;
  if (/^[a-z][a-z0-9+.-]*:/i.test(h) || /^\s*\/\//.test(h)) return undefined;
  return h;
}

export function renderExhibitionPage(input: PageInput): string {
  const html = renderToStaticMarkup(<Page {...input} />);
  return `<!doctype html>\n${html}`;
}

/** JSON-LD: an ItemList of the books, each with what is known about it. */
export function jsonLd(exhibition: Exhibition, url: string): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'ItemList',
    name: exhibition.title,
    url,
    numberOfItems: exhibition.books.length,
    itemListElement: exhibition.books.map((b, i) => {
      const f = b.slide.fields;
      const pages = Number.parseInt(f.pages, 10);
      const book: Record<string, unknown> = { '@type': 'Book', name: f.title };
      if (f.author.trim()) book.author = { '@type': 'Person', name: f.author.trim() };
      if (f.isbn.trim()) book.isbn = f.isbn.trim();
      if (f.publisher.trim())
        book.publisher = { '@type': 'Organization', name: f.publisher.trim() };
      if (Number.isFinite(pages) && pages > 0) book.numberOfPages = pages;
      if (f.year.trim()) book.datePublished = f.year.trim();
      return { '@type': 'ListItem', position: i + 1, item: book };
    }),
  };
  // `<` escaped: user text can never close the script element or open a comment.
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
}

function description(ex: Exhibition): string {
  const text = [ex.cover?.fields.subtitle ?? '', richPlainText(ex.intro)]
    .map((s) => s.trim())
    .filter(Boolean)
    .join('. ');
  const first = text || ex.sections[0]?.post.caption || ex.title;
  return [...first.replace(/\s+/g, ' ')].slice(0, 200).join('');
}

function Page(input: PageInput) {
  const { exhibition: ex, view } = input;
  const t = pageStrings(ex.lang);
  const theme = themeById(view.theme);
  const colors = slideColors(theme, view.brandColor);
  const desc = description(ex);
  const css = [input.fontCss, pageCss(theme, colors, view.format), input.slideCss].join('\n');
  const L = (text: string) => langAttr(text, ex.lang);
  return (
    <html lang={ex.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{ex.title}</title>
        <meta name="description" content={desc} />
        <link rel="canonical" href={input.canonicalUrl} />
        <meta property="og:type" content="website" />
        <meta property="og:title" content={ex.title} />
        <meta property="og:description" content={desc} />
        <meta property="og:url" content={input.canonicalUrl} />
        {input.ogImageUrl ? <meta property="og:image" content={input.ogImageUrl} /> : null}
        {input.ogImageUrl && ex.cover?.fields.altText ? (
          <meta property="og:image:alt" content={ex.cover.fields.altText} />
        ) : null}
        <meta name="twitter:card" content={input.ogImageUrl ? 'summary_large_image' : 'summary'} />
        <meta name="theme-color" content={colors.bg} />
        <style dangerouslySetInnerHTML={{ __html: css }} />
        <script
          type="application/ld+json"
          dangerouslySetInnerHTML={{ __html: jsonLd(ex, input.canonicalUrl) }}
        />
      </head>
      <body>
        <a className="ex-skip" href="#main">
          {t('skip')}
        </a>
        <div className="ex-screen">
          <header className="ex-hero">
            <div className="ex-wrap">
              <p className="ex-kicker">{t('exhibition')}</p>
              <h1 className="ex-title" lang={L(ex.title)}>
                {ex.title}
              </h1>
              {ex.cover?.fields.subtitle ? (
                <p className="ex-subtitle" lang={L(ex.cover.fields.subtitle)}>
                  {ex.cover.fields.subtitle}
                </p>
              ) : null}
              <PageRichBlocks blocks={ex.intro} lang={ex.lang} className="ex-intro" />
              {ex.sections.length > 1 ? (
                <nav className="ex-toc" aria-label={t('contents')}>
                  <ol>
                    {ex.sections.map((s) => (
                      <li key={s.post.id}>
                        <a href={`#s-${s.post.id}`} lang={L(s.heading)}>
                          {s.heading}
                        </a>
                      </li>
                    ))}
                  </ol>
                </nav>
              ) : null}
            </div>
          </header>
          <main id="main" className="ex-wrap">
            {ex.sections.map((s) => (
              <PostSection key={s.post.id} section={s} input={input} theme={theme} />
            ))}
            <section className="ex-closing" aria-labelledby="closing-heading">
              <h2 id="closing-heading">{t('closing')}</h2>
              {ex.closing.map((s) => (
                <div key={s.id} className="ex-closing__block">
                  {s.fields.title ? <h3 lang={L(s.fields.title)}>{s.fields.title}</h3> : null}
                  <PageRichBlocks blocks={s.body} lang={ex.lang} />
                </div>
              ))}
              {ex.libraries.length ? (
                <>
                  <h3>{t('libraries')}</h3>
                  <ul className="ex-libraries">
                    {ex.libraries.map((l) => (
                      <li key={l} lang={L(l)}>
                        {l}
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          </main>
          <footer className="ex-footer">
            <div className="ex-wrap">
              <p>{t('published', { date: formatDate(input.publishedAt, ex.lang) })}</p>
              {input.downloadHref ? (
                <p>
                  <a href={input.downloadHref} download>
                    {t('download')}
                  </a>
                </p>
              ) : null}
              {input.embedSnippet ? (
                <details className="ex-embed">
                  <summary>{t('embed')}</summary>
                  <p>{t('embedHint')}</p>
                  <pre tabIndex={0}>
                    <code>{input.embedSnippet}</code>
                  </pre>
                </details>
              ) : null}
            </div>
          </footer>
        </div>
        <ReadingList ex={ex} url={input.canonicalUrl} />
      </body>
    </html>
  );
}

function PostSection({
  section,
  input,
  theme,
}: {
  section: Section;
  input: PageInput;
  theme: Theme;
}) {
  const { exhibition: ex, view } = input;
  const t = pageStrings(ex.lang);
  const L = (text: string) => langAttr(text, ex.lang);
  const id = section.post.id;
  const books = section.items.filter((i) => i.kind === 'book');
  const resolver: AssetResolver = {
    url: (a) => input.assetHref(a),
    load: (a) => Promise.resolve(input.assetHref(a)),
    subscribe: () => () => {},
  };
  const slides = section.post.slides;
  return (
    <section id={`s-${id}`} className="ex-section" aria-labelledby={`h-${id}`}>
      <h2 id={`h-${id}`} lang={L(section.heading)}>
        {section.heading}
      </h2>
      <Caption text={section.caption} lang={ex.lang} />
      <div className={books.length ? 'ex-items' : 'ex-items ex-items--text'}>
        {section.items.map((item) => {
          if (item.kind === 'book')
            return (
              <BookArticle key={item.book.slide.id} book={item.book} input={input} theme={theme} />
            );
          const s = item.slide;
          if (item.kind === 'quote')
            return (
              <figure key={s.id} className="ex-quote">
                <blockquote lang={L(s.fields.quote)}>
                  <p>{s.fields.quote}</p>
                </blockquote>
                {s.fields.quoteSource ? (
                  <figcaption lang={L(s.fields.quoteSource)}>{s.fields.quoteSource}</figcaption>
                ) : null}
              </figure>
            );
          return (
            <div key={s.id} className="ex-text">
              {s.fields.title ? <h3 lang={L(s.fields.title)}>{s.fields.title}</h3> : null}
              <PageRichBlocks blocks={s.body} lang={ex.lang} />
            </div>
          );
        })}
      </div>
      {slides.length ? (
        <details className="ex-ig">
          <summary>{t('instagram')}</summary>
          <div
            className="ex-ig__track"
            role="region"
            tabIndex={0}
            aria-label={t('slides', { count: slides.length })}
          >
            <ol className="ex-ig__list">
              {slides.map((s, i) => (
                <li key={s.id} className="ex-ig__slide">
                  <div
                    role="img"
                    aria-label={`${t('slide', { n: i + 1, count: slides.length })}. ${slideLabel(s)}`}
                  >
                    <AssetContext.Provider value={resolver}>
                      {/* The label above says what the slide shows; its own headings would
                          break the page's outline. */}
                      <div aria-hidden="true">
                        <Slide
                          slide={s}
                          format={view.format}
                          width={IG_SLIDE_WIDTH}
                          flashbookTitle={view.title}
                          design={designOf(view)}
                        />
                      </div>
                    </AssetContext.Provider>
                  </div>
                </li>
              ))}
            </ol>
          </div>
        </details>
      ) : null}
    </section>
  );
}

function slideLabel(s: SlideView): string {
  const f = s.fields;
  if (f.altText.trim()) return f.altText.trim();
  return [f.author, f.title, f.quote, s.bodyText]
    .map((x) => x.trim())
    .filter(Boolean)
    .join('. ');
}

function BookArticle({ book, input, theme }: { book: Book; input: PageInput; theme: Theme }) {
  const { exhibition: ex } = input;
  const t = pageStrings(ex.lang);
  const L = (text: string) => langAttr(text, ex.lang);
  const s = book.slide;
  const f = s.fields;
  const headingId = `b-${s.id}`;
  // The slide's own library (a participating library's id gives its name), as before not its post's.
  const library = s.library.trim()
    ? (slideLibrary({ library: s.library, postLibrary: '' }, input.view.libraries)?.name ?? '')
    : '';
  return (
    <article className="ex-book" aria-labelledby={headingId}>
      <div className="ex-book__cover">
        {s.image ? (
          <img src={input.assetHref(s.image)} alt={f.altText} loading="lazy" />
        ) : (
          <div
            className="ex-book__placeholder"
            style={placeholderStyle(theme, s)}
            aria-hidden="true"
          >
            <span>{f.author}</span>
            <span className="ex-book__placeholder-title">{f.title}</span>
          </div>
        )}
      </div>
      <div className="ex-book__text">
        {f.author ? (
          <p className="ex-book__author" lang={L(f.author)}>
            {f.author}
          </p>
        ) : null}
        <h3 id={headingId} className="ex-book__title" lang={L(f.title)}>
          {f.title}
        </h3>
        {book.description ? (
          <p className="ex-book__biblio" lang={L(book.description)}>
            {book.description}
          </p>
        ) : null}
        {f.isbn.trim() ? (
          <p className="ex-book__isbn">{t('isbn', { isbn: f.isbn.trim() })}</p>
        ) : null}
        <PageRichBlocks blocks={s.body} lang={ex.lang} className="ex-book__annotation" />
        {f.quote.trim() ? (
          <blockquote className="ex-book__quote" lang={L(f.quote)}>
            <p>{f.quote}</p>
          </blockquote>
        ) : null}
        <p className="ex-book__meta">
          {s.ageLabel ? (
            <span className="ex-age" title={t('age', { label: s.ageLabel })}>
              <span className="ex-visually-hidden">{t('age', { label: '' })}</span>
              {s.ageLabel}
            </span>
          ) : null}
          {library ? (
            <span className="ex-book__library">
              {/* The label in the page's language, the library's name in its own. */}
              {t('preparedBy', { library: '\u0000' }).split('\u0000')[0]}
              <span lang={L(library)}>{library}</span>
              {t('preparedBy', { library: '\u0000' }).split('\u0000')[1]}
            </span>
          ) : null}
        </p>
      </div>
    </article>
  );
}

function placeholderStyle(theme: Theme, s: SlideView): CSSProperties {
  const hue = coverHue(theme, `${s.fields.title}|${s.fields.author}`);
  return {
    background: `hsl(${hue} ${theme.coverSaturation}% ${theme.coverLightness}%)`,
    color: theme.colors.coverInk,
  };
}

function Caption({ text, lang }: { text: string; lang: PageLang }) {
  const paragraphs = text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!paragraphs.length) return null;
  return (
    <div className="ex-caption">
      {paragraphs.map((p, i) => (
        <p key={i} lang={langAttr(p, lang)}>
          <Linked text={p} />
        </p>
      ))}
    </div>
  );
}

/** Web addresses and e-mail addresses in text become links; nothing else does (no `javascript:`). */
const LINKABLE = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)»]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/gi;

export function Linked({ text }: { text: string }) {
  const parts = text.split(LINKABLE);
  if (parts.length === 1) return <>{text}</>;
  return (
    <>
      {parts.map((part, i) => {
        if (i % 2 === 0) return part;
        const href = safeHref(
          part.includes('@') && !part.includes('://') ? `mailto:${part}` : part,
        );
        return href ? (
          <a key={i} href={href}>
            {part}
          </a>
        ) : (
          part
        );
      })}
    </>
  );
}

function PageRichBlocks({
  blocks,
  lang,
  className,
}: {
  blocks: RichBlock[];
  lang: PageLang;
  className?: string;
}) {
  if (!richPlainText(blocks).trim()) return null;
  return (
    <div className={className}>
      {/* Headings inside the text sit under the page's h3 (h4, h5), so levels stay in order. */}
      <RichBlocks
        blocks={blocks}
        style={{
          text: (text) => <Linked text={text} />,
          heading: 'h4',
          lang: (text) => langAttr(text, lang),
          omitBlankParagraphs: true,
        }}
      />
    </div>
  );
}

/** What printing gives: the recommended-reading list, each book once, under its first section. */
function ReadingList({ ex, url }: { ex: Exhibition; url: string }) {
  const t = pageStrings(ex.lang);
  const L = (text: string) => langAttr(text, ex.lang);
  let number = 1;
  return (
    <div className="ex-print">
      <p className="ex-print__kicker">{t('readingList')}</p>
      <h1 lang={L(ex.title)}>{ex.title}</h1>
      <p className="ex-print__url">{url}</p>
      {ex.sections.map((s) => {
        const books = ex.books.filter((b) => b.sectionId === s.post.id);
        if (!books.length) return null;
        const start = number;
        number += books.length;
        return (
          <section key={s.post.id}>
            <h2 lang={L(s.heading)}>{s.heading}</h2>
            <ol start={start}>
              {books.map((b) => (
                <li key={b.slide.id} className="ex-print__book" lang={L(b.description)}>
                  {b.description}
                  {b.slide.library.trim() ? (
                    <span className="ex-print__library"> ({b.slide.library.trim()})</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
      {ex.libraries.length ? (
        <section>
          <h2>{t('libraries')}</h2>
          <ul>
            {ex.libraries.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** The page that answers 410 after unpublishing. */
export function renderGonePage(lang: PageLang): string {
  const t = pageStrings(lang);
  return `<!doctype html>\n${renderToStaticMarkup(
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t('goneTitle')}</title>
      </head>
      <body>
        <main>
          <h1>{t('goneTitle')}</h1>
          <p>{t('gone')}</p>
        </main>
      </body>
    </html>,
  )}`;
}
