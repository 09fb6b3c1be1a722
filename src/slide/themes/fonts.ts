// The fonts the slide themes use, shipped with the app (no CDN). Each weight's CSS from @fontsource
// declares every subset with its unicode-range, cyrillic-ext included: that subset holds the Kazakh
// letters Ә Ғ Қ Ң Ө Ү Һ (importing only `cyrillic` would silently drop them).
// tests/unit/fonts.test.ts checks every face listed here for the Kazakh letters.
import '@fontsource/pt-sans/400.css';
import '@fontsource/pt-sans/700.css';
import '@fontsource/pt-serif/400.css';
import '@fontsource/pt-serif/700.css';
import '@fontsource/pt-serif/400-italic.css';
import '@fontsource/montserrat/700.css';
import '@fontsource/montserrat/800.css';
import '@fontsource/golos-text/400.css';
import '@fontsource/golos-text/600.css';
import '@fontsource/lora/400.css';
import '@fontsource/lora/700.css';
import '@fontsource/lora/400-italic.css';
import '@fontsource/open-sans/400.css';
import '@fontsource/open-sans/700.css';
import '@fontsource/merriweather/400.css';
import '@fontsource/merriweather/700.css';
import '@fontsource/merriweather/400-italic.css';
import '@fontsource/fira-sans/400.css';
import '@fontsource/fira-sans/700.css';
import '@fontsource/fira-sans/400-italic.css';

/** The @fontsource stylesheets imported above, for the font coverage test. */
export const FONT_STYLESHEETS = [
  '@fontsource/pt-sans/400.css',
  '@fontsource/pt-sans/700.css',
  '@fontsource/pt-serif/400.css',
  '@fontsource/pt-serif/700.css',
  '@fontsource/pt-serif/400-italic.css',
  '@fontsource/montserrat/700.css',
  '@fontsource/montserrat/800.css',
  '@fontsource/golos-text/400.css',
  '@fontsource/golos-text/600.css',
  '@fontsource/lora/400.css',
  '@fontsource/lora/700.css',
  '@fontsource/lora/400-italic.css',
  '@fontsource/open-sans/400.css',
  '@fontsource/open-sans/700.css',
  '@fontsource/merriweather/400.css',
  '@fontsource/merriweather/700.css',
  '@fontsource/merriweather/400-italic.css',
  '@fontsource/fira-sans/400.css',
  '@fontsource/fira-sans/700.css',
  '@fontsource/fira-sans/400-italic.css',
] as const;
