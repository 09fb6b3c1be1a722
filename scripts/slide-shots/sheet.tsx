import { createRoot } from 'react-dom/client';
import * as Y from 'yjs';
import {
  addLibrary,
  addPost,
  addSlide,
  readFlashbook,
  seedFlashbook,
  setFlashbookSettings,
  setSlideValues,
  type NewSlide,
} from '../../src/model/flashbook.ts';
import { FORMAT_IDS, type Format } from '../../src/model/instagram.ts';
import type { AssetResolver } from '../../src/slide/asset-resolver.ts';
import { BrowserSlides } from '../../src/slide/browser.tsx';
import { Slide, designOf } from '../../src/slide/Slide.tsx';
import { THEMES } from '../../src/slide/themes/themes.ts';
import '../../src/slide/themes/fonts.ts';

/** Draws a picture into a blob: URL. */
async function draw(w: number, h: number, paint: (c: CanvasRenderingContext2D) => void) {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const c = canvas.getContext('2d') as CanvasRenderingContext2D;
  paint(c);
  const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b as Blob), 'image/png'));
  return URL.createObjectURL(blob);
}

const PORTRAIT = 'a'.repeat(64);
const WIDE = 'b'.repeat(64);
const LOGO = 'c'.repeat(64);
const SQUARE = 'd'.repeat(64);

async function images(): Promise<Record<string, string>> {
  return {
    [PORTRAIT]: await draw(600, 900, (c) => {
      const g = c.createLinearGradient(0, 0, 0, 900);
      g.addColorStop(0, '#7a1f1f');
      g.addColorStop(1, '#2b0d0d');
      c.fillStyle = g;
      c.fillRect(0, 0, 600, 900);
      c.fillStyle = '#f6e7c8';
      c.font = 'bold 64px serif';
      c.fillText('Абай жолы', 60, 200);
      c.font = '36px serif';
      c.fillText('Мұхтар Әуезов', 60, 800);
    }),
    [WIDE]: await draw(1200, 600, (c) => {
      c.fillStyle = '#e8e0c8';
      c.fillRect(0, 0, 1200, 600);
      c.fillStyle = '#d00000';
      c.fillRect(0, 0, 120, 600);
      c.fillStyle = '#0030d0';
      c.fillRect(1080, 0, 120, 600);
      c.fillStyle = '#222';
      c.font = 'bold 110px sans-serif';
      c.fillText('Широкая обложка', 140, 340);
    }),
    [SQUARE]: await draw(800, 800, (c) => {
      c.fillStyle = '#1d6b4f';
      c.fillRect(0, 0, 800, 800);
      c.fillStyle = '#fff';
      c.font = 'bold 90px sans-serif';
      c.fillText('Альбом', 200, 420);
    }),
    [LOGO]: await draw(360, 160, (c) => {
      c.fillStyle = '#1f4e79';
      c.beginPath();
      c.arc(80, 80, 70, 0, Math.PI * 2);
      c.fill();
      c.fillStyle = '#ffffff';
      c.font = 'bold 60px sans-serif';
      c.fillText('ОБ', 38, 102);
      c.fillStyle = '#1f4e79';
      c.fillText('ЦБС', 170, 102);
    }),
  };
}

const BOOK: NewSlide = {
  layout: 'book',
  fields: {
    author: 'Мұхтар Әуезов',
    title: 'Абай жолы',
    publisher: 'Жазушы',
    place: 'Алматы',
    year: '2017',
    pages: '480',
  },
  body: ['Қазақ даласының өмірі мен ұлы ақынның жолы туралы роман-эпопея.'],
};

function build(theme: string, format: Format) {
  const doc = new Y.Doc();
  seedFlashbook(doc, { title: 'Жаңа кітаптар' });
  setFlashbookSettings(doc, { theme, logo: LOGO, attribution: true });
  setFlashbookSettings(doc, { format } as never);
  const lib = addLibrary(doc, { name: 'Облыстық әмбебап ғылыми кітапхана', logo: LOGO });
  const cases: { label: string; post: string; slide: string }[] = [];
  const post = (label: string, slides: NewSlide[], tweak?: (ids: string[]) => void) => {
    const [first, ...rest] = slides;
    const { postId, slideId } = addPost(doc, { first: first as NewSlide, library: lib });
    const ids = [slideId, ...rest.map((s) => addSlide(doc, postId, s))];
    tweak?.(ids);
    cases.push({ label, post: postId, slide: ids[0] as string });
  };
  post('cover', [
    { layout: 'cover', fields: { title: 'Жеңіс күніне арналған кітаптар', subtitle: '9 Мамыр' } },
  ]);
  post('book portrait (auto)', [{ ...BOOK, image: PORTRAIT }]);
  post('book 2:1 (auto)', [{ ...BOOK, image: WIDE }]);
  post('book 2:1 contain-plain', [{ ...BOOK, image: WIDE }], ([id]) =>
    setSlideValues(doc, id as string, { imageFit: 'contain-plain' }),
  );
  post('book 2:1 cover focus left', [{ ...BOOK, image: WIDE }], ([id]) =>
    setSlideValues(doc, id as string, { imageFit: 'cover', imageFocus: { x: 0, y: 0.5 } }),
  );
  post('book wide layout 2:1', [{ ...BOOK, image: WIDE, bookLayout: 'wide' }]);
  post('book wide layout square', [{ ...BOOK, image: SQUARE, bookLayout: 'wide' }]);
  post('book placeholder + quote', [
    { ...BOOK, fields: { ...BOOK.fields, quote: 'Адам баласы адам баласына дос.' } },
  ]);
  for (const n of [1, 2, 3, 4, 5, 7, 10]) {
    const books: NewSlide[] = Array.from({ length: n }, (_, i) => ({
      ...BOOK,
      image: i % 3 === 0 ? PORTRAIT : i % 3 === 1 ? '' : WIDE,
      fields: { ...BOOK.fields, title: i % 2 ? 'Көшпенділер: тарихи трилогия' : 'Абай жолы' },
    }));
    post(`books ${n}`, [{ layout: 'books', fields: { title: 'Іріктемедегі кітаптар' } }, ...books]);
  }
  post('quote', [
    {
      layout: 'quote',
      fields: { quote: 'Кітап — білім бұлағы.', quoteSource: 'Халық мақалы' },
      ageLabel: '12+',
    },
  ]);
  post('text short', [
    { layout: 'text', fields: { title: 'Есімізде' }, body: ['Бұл кітаптар не туралы.'] },
  ]);
  post('closing + logo', [
    {
      layout: 'closing',
      fields: { title: 'Кітапханаға келіңіз' },
      body: ['Мекенжайы, жұмыс уақыты және телефоны.'],
      ageLabel: '6+',
    },
  ]);
  const view = readFlashbook(doc);
  const slides = cases.map((c) => ({
    label: c.label,
    slide: view.posts.find((p) => p.id === c.post)?.slides.find((s) => s.id === c.slide),
  }));
  return { view, slides };
}

async function main() {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme') ?? 'memory';
  const format = (params.get('format') ?? '4:5') as Format;
  const urls = await images();
  const resolver: AssetResolver = {
    url: (id) => urls[id],
    load: (id) => Promise.resolve(urls[id] ?? ''),
    subscribe: () => () => {},
  };
  const { view, slides } = build(theme, format);
  const root = createRoot(document.getElementById('root') as HTMLElement);
  root.render(
    <BrowserSlides assets={resolver}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, padding: 16, width: 1600 }}>
        {slides.map(({ label, slide }) =>
          slide ? (
            <figure key={label} style={{ margin: 0, font: '14px sans-serif' }}>
              <Slide
                slide={slide}
                format={format}
                width={300}
                design={designOf(view)}
                flashbookTitle={view.title}
              />
              <figcaption>{label}</figcaption>
            </figure>
          ) : null,
        )}
      </div>
    </BrowserSlides>,
  );
  await document.fonts.ready;
  await new Promise((r) => setTimeout(r, 500));
  document.body.dataset['ready'] = 'true';
}

export const FORMATS_AND_THEMES = { formats: FORMAT_IDS, themes: THEMES.map((t) => t.id) };
void main();
