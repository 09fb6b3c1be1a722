import type { Format } from '../model/instagram.ts';
import type { Theme } from '../slide/themes/themes.ts';

/**
 * The exhibition page's stylesheet, in the theme's colours and fonts (the theme's contrast checks
 * hold for text, secondary text and accent on its background, so the page inherits WCAG AA).
 * Mobile first: one column at 390 px, covers beside the text from 40rem, two books per row from
 * 90rem. Print shows only the reading list.
 */
export function pageCss(theme: Theme, colors: Theme['colors'], _format: Format): string {
  return `
:root{--bg:${colors.bg};--fg:${colors.fg};--muted:${colors.muted};--accent:${colors.accent};
--heading:${theme.fonts.heading};--heading-weight:${theme.fonts.headingWeight};--body:${theme.fonts.body}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font-family:var(--body);font-size:1.0625rem;line-height:1.55;overflow-wrap:break-word}
a{color:inherit;text-decoration-color:var(--accent);text-underline-offset:.15em}
a:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
h1,h2,h3,h4,h5{font-family:var(--heading);font-weight:var(--heading-weight);line-height:1.2;margin:0 0 .5em}
p{margin:0 0 .75em}
.ex-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
.ex-skip{position:absolute;left:1rem;top:-4rem;background:var(--fg);color:var(--bg);padding:.5rem 1rem;z-index:2}
.ex-skip:focus{top:1rem}
.ex-wrap{max-width:78rem;margin:0 auto;padding:0 1rem}
.ex-hero{padding:2.5rem 0 2rem;border-bottom:3px solid var(--accent)}
.ex-kicker{color:var(--accent);font-weight:700;letter-spacing:.08em;text-transform:uppercase;font-size:.85rem}
.ex-title{font-size:clamp(1.9rem,6vw,3.6rem);max-width:22ch}
.ex-subtitle{font-family:var(--heading);font-style:italic;font-size:1.25rem;color:var(--muted);max-width:50ch}
.ex-intro{max-width:60ch}
.ex-toc ol{margin:1.5rem 0 0;padding-left:1.25rem;columns:2 18rem;column-gap:2rem}
.ex-toc li{margin:0 0 .4rem;break-inside:avoid}
.ex-section{padding:2.5rem 0;border-bottom:1px solid color-mix(in srgb,var(--muted) 40%,transparent)}
.ex-section>h2{font-size:clamp(1.5rem,4vw,2.25rem);max-width:40ch}
.ex-caption{max-width:65ch;color:var(--fg)}
.ex-items{display:grid;gap:2rem;margin-top:1.5rem}
@media (min-width:90rem){.ex-items{grid-template-columns:1fr 1fr}}
.ex-book{display:flow-root}
.ex-book__cover{float:left;margin:.25rem 1rem .5rem 0}
@media (min-width:40rem){.ex-book{display:grid;grid-template-columns:10rem 1fr;gap:1.5rem;align-items:start}.ex-book__cover{float:none;margin:0}.ex-book__cover img,.ex-book__placeholder{width:10rem}}
.ex-book__cover img,.ex-book__placeholder{display:block;width:7.5rem;aspect-ratio:2/3;object-fit:cover;border-radius:2px;box-shadow:0 .3rem 1rem rgb(0 0 0/.25)}
.ex-book__placeholder{display:flex;flex-direction:column;justify-content:space-between;padding:.55rem .45rem;font-family:var(--heading);font-size:.65rem;line-height:1.25;overflow:hidden;overflow-wrap:normal;hyphens:manual}
.ex-book__placeholder-title{font-weight:var(--heading-weight);font-size:.72rem}
@media (min-width:40rem){.ex-book__placeholder{padding:.8rem .7rem;font-size:.8rem}.ex-book__placeholder-title{font-size:.9rem}}
.ex-book__author{color:var(--accent);font-weight:700;margin-bottom:.25rem}
.ex-book__title{font-size:1.45rem}
.ex-book__biblio,.ex-book__isbn{color:var(--muted);font-size:.95rem}
.ex-book__annotation{max-width:65ch}
.ex-book__quote,.ex-quote blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--accent);font-family:var(--heading);font-style:italic}
.ex-quote{margin:0}
.ex-quote figcaption{color:var(--muted)}
.ex-book__meta{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;color:var(--muted);font-size:.95rem}
.ex-age{display:inline-block;border:2px solid var(--accent);color:var(--fg);border-radius:.3rem;padding:0 .4rem;font-weight:700}
.ex-ig{margin-top:2rem}
.ex-ig summary{cursor:pointer;font-weight:700;color:var(--fg);padding:.5rem 0;min-height:44px}
.ex-ig__track{overflow-x:auto;scroll-snap-type:x mandatory;overscroll-behavior-x:contain;padding:.5rem 0 1rem}
.ex-ig__list{display:flex;gap:1rem;margin:0;padding:0;list-style:none}
.ex-ig__slide{scroll-snap-align:start;flex:none;box-shadow:0 0 0 1px color-mix(in srgb,var(--muted) 45%,transparent),0 .3rem 1rem rgb(0 0 0/.18)}
@media (min-width:60rem){.ex-ig__slide{zoom:1.35}}
.ex-closing{padding:2.5rem 0}
.ex-closing__block{margin-bottom:1.5rem;max-width:65ch}
.ex-libraries{padding-left:1.25rem}
.ex-footer{border-top:3px solid var(--accent);padding:1.5rem 0 3rem;color:var(--muted);font-size:.95rem}
.ex-embed pre{white-space:pre-wrap;word-break:break-all;background:color-mix(in srgb,var(--fg) 8%,var(--bg));color:var(--fg);padding:.75rem;border-radius:.3rem}
.ex-print{display:none}
@media print{
  @page{margin:18mm 16mm}
  body{background:#fff;color:#000;font-size:11pt}
  .ex-screen,.ex-skip{display:none!important}
  .ex-print{display:block}
  .ex-print h1{font-size:18pt;margin-bottom:.2em}
  .ex-print__kicker,.ex-print__url{font-size:10pt;color:#333}
  .ex-print h2{font-size:13pt;margin-top:1.2em;break-after:avoid}
  .ex-print li{margin-bottom:.4em;break-inside:avoid}
  .ex-print__library{color:#333}
}
@media (prefers-reduced-motion:no-preference){.ex-ig__track{scroll-behavior:smooth}}
`;
}
