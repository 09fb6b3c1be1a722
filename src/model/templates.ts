import * as Y from 'yjs';
import { SERVER, type Origin } from './origins.ts';
import { POST, type Layout } from './schema.ts';
import { asMap, postsMap } from './access.ts';
import {
  addPost,
  addSlide,
  deletePost,
  readFlashbook,
  seedFlashbook,
  type FlashbookView,
} from './flashbook.ts';

/**
 * Starting templates for the occasions libraries post about: a theme and a prepared structure
 * (posts and slides) with starter text in the user's language. Book slides are left empty, so the
 * editor shows its placeholders on them. Written once where the document is created, like
 * `seedFlashbook`: by the server (`POST /api/flashbooks` with `{"template": id}`) or by the one
 * client that creates a flashbook offline.
 *
 * The starter text is document content, not interface text: it is written into the flashbook in
 * the chosen language and edited from there, so it lives here, beside the structure, for the server
 * and the client alike.
 */
export const TEMPLATE_IDS = [
  'victory-day',
  'nauryz',
  'independence-day',
  'anniversary',
  'new-arrivals',
  'summer-reading',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export const TEMPLATE_LANGUAGES = ['ru', 'kk', 'en'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && (TEMPLATE_IDS as readonly string[]).includes(value);
}

export function isTemplateLanguage(value: unknown): value is TemplateLanguage {
  return typeof value === 'string' && (TEMPLATE_LANGUAGES as readonly string[]).includes(value);
}

/** One starter slide: its layout and text (`body` paragraphs). */
interface StarterSlide {
  layout: Layout;
  title?: string;
  subtitle?: string;
  body?: string[];
}

interface TemplateText {
  title: string;
  subtitle: string;
  /** The slide after the cover: what the post is about (title, body). */
  about?: { title: string; body: string };
  /** A quote slide (left empty for the librarian's quote). */
  quote?: boolean;
  /** The title of the slide that shows all the selection's covers. */
  books: string;
  closing: { title: string; body: string };
  hashtags: string;
  caption: string;
}

interface Template {
  theme: string;
  /** Empty book slides in the selection post. */
  bookSlides: number;
  text: Record<TemplateLanguage, TemplateText>;
}

const TEMPLATES: Record<TemplateId, Template> = {
  'victory-day': {
    theme: 'memory',
    bookSlides: 3,
    text: {
      ru: {
        title: 'Книги о войне и Победе',
        subtitle: 'К Дню Победы, 9 Мая',
        about: {
          title: 'Помним',
          body: 'Расскажите, почему эти книги важно прочитать сегодня: о ком они, чьи воспоминания они хранят.',
        },
        books: 'Книги подборки',
        closing: {
          title: 'Приходите в библиотеку',
          body: 'Адрес, часы работы и телефон библиотеки.',
        },
        hashtags: '#ДеньПобеды #9Мая #библиотека',
        caption: 'К Дню Победы мы собрали книги о войне и о тех, кто её прошёл.',
      },
      kk: {
        title: 'Соғыс пен Жеңіс туралы кітаптар',
        subtitle: 'Жеңіс күніне, 9 Мамыр',
        about: {
          title: 'Есімізде',
          body: 'Бұл кітаптарды бүгін неге оқу керек екенін айтыңыз: олар кім туралы, кімнің естеліктерін сақтайды.',
        },
        books: 'Іріктемедегі кітаптар',
        closing: {
          title: 'Кітапханаға келіңіз',
          body: 'Кітапхананың мекенжайы, жұмыс уақыты және телефоны.',
        },
        hashtags: '#ЖеңісКүні #9Мамыр #кітапхана',
        caption: 'Жеңіс күніне соғыс және оны бастан өткергендер туралы кітаптарды жинадық.',
      },
      en: {
        title: 'Books about the war and the Victory',
        subtitle: 'For Victory Day, 9 May',
        about: {
          title: 'We remember',
          body: 'Tell readers why these books matter today: whom they are about, whose memories they keep.',
        },
        books: 'Books in this selection',
        closing: {
          title: 'Visit the library',
          body: "The library's address, opening hours and phone number.",
        },
        hashtags: '#VictoryDay #9May #library',
        caption:
          'For Victory Day we have gathered books about the war and those who lived through it.',
      },
    },
  },
  nauryz: {
    theme: 'steppe',
    bookSlides: 3,
    text: {
      ru: {
        title: 'Наурыз: весна и обновление',
        subtitle: 'Книги к празднику Наурыз мейрамы',
        about: {
          title: 'О празднике',
          body: 'Коротко о традициях Наурыза: наурыз-коже, встреча весны, добрые пожелания. Какие книги о них есть в фонде?',
        },
        books: 'Читаем к Наурызу',
        closing: {
          title: 'Наурыз құтты болсын!',
          body: 'Ждём вас на празднике в библиотеке: дата, время, адрес.',
        },
        hashtags: '#Наурыз #Наурызмейрамы #библиотека',
        caption: 'Встречаем весну с книгами о традициях Наурыза.',
      },
      kk: {
        title: 'Наурыз: көктем және жаңару',
        subtitle: 'Наурыз мейрамына арналған кітаптар',
        about: {
          title: 'Мереке туралы',
          body: 'Наурыз дәстүрлері туралы қысқаша: наурыз көже, көктемді қарсы алу, ізгі тілектер. Қордағы қандай кітаптар солар туралы?',
        },
        books: 'Наурызға оқимыз',
        closing: {
          title: 'Наурыз құтты болсын!',
          body: 'Кітапханадағы мерекеге шақырамыз: күні, уақыты, мекенжайы.',
        },
        hashtags: '#Наурыз #Наурызмейрамы #кітапхана',
        caption: 'Көктемді Наурыз дәстүрлері туралы кітаптармен қарсы аламыз.',
      },
      en: {
        title: 'Nauryz: spring and renewal',
        subtitle: 'Books for the Nauryz holiday',
        about: {
          title: 'About the holiday',
          body: 'A few words on Nauryz traditions: nauryz kozhe, welcoming spring, good wishes. Which books in the collection tell about them?',
        },
        books: 'Reading for Nauryz',
        closing: {
          title: 'Nauryz kutty bolsyn!',
          body: 'Join the celebration at the library: date, time and address.',
        },
        hashtags: '#Nauryz #NauryzMeiramy #library',
        caption: 'We welcome spring with books about the traditions of Nauryz.',
      },
    },
  },
  'independence-day': {
    theme: 'steppe',
    bookSlides: 3,
    text: {
      ru: {
        title: 'День Независимости Казахстана',
        subtitle: '16 декабря',
        about: {
          title: 'История страны',
          body: 'О чём эта подборка: история Независимости, люди и события. Добавьте год и повод, например «35 лет Независимости».',
        },
        books: 'Книги о Казахстане',
        closing: {
          title: 'С Днём Независимости!',
          body: 'Книги подборки ждут вас в библиотеке: адрес и часы работы.',
        },
        hashtags: '#ДеньНезависимости #Казахстан #библиотека',
        caption: 'Ко Дню Независимости — книги об истории нашей страны.',
      },
      kk: {
        title: 'Қазақстан Тәуелсіздігі күні',
        subtitle: '16 желтоқсан',
        about: {
          title: 'Ел тарихы',
          body: 'Бұл іріктеме не туралы: Тәуелсіздік тарихы, тұлғалар мен оқиғалар. Жылы мен себебін қосыңыз, мысалы «Тәуелсіздікке 35 жыл».',
        },
        books: 'Қазақстан туралы кітаптар',
        closing: {
          title: 'Тәуелсіздік күні құтты болсын!',
          body: 'Іріктемедегі кітаптар кітапханада күтіп тұр: мекенжайы мен жұмыс уақыты.',
        },
        hashtags: '#ТәуелсіздікКүні #Қазақстан #кітапхана',
        caption: 'Тәуелсіздік күніне — еліміздің тарихы туралы кітаптар.',
      },
      en: {
        title: 'Independence Day of Kazakhstan',
        subtitle: '16 December',
        about: {
          title: "The country's history",
          body: 'What this selection is about: the history of Independence, its people and events. Add the year and the occasion, such as “35 years of Independence”.',
        },
        books: 'Books about Kazakhstan',
        closing: {
          title: 'Happy Independence Day!',
          body: 'The books of this selection are waiting at the library: address and opening hours.',
        },
        hashtags: '#IndependenceDay #Kazakhstan #library',
        caption: 'For Independence Day: books about the history of our country.',
      },
    },
  },
  anniversary: {
    theme: 'classic',
    bookSlides: 3,
    text: {
      ru: {
        title: 'К юбилею писателя',
        subtitle: 'Имя и фамилия, годы жизни',
        about: {
          title: 'Жизнь и творчество',
          body: 'Несколько фактов из биографии: где родился писатель, о чём писал, какие книги стали главными.',
        },
        quote: true,
        books: 'Книги писателя',
        closing: {
          title: 'Читайте в библиотеке',
          body: 'Книги автора есть в нашем фонде: адрес и часы работы.',
        },
        hashtags: '#юбилейписателя #книги #библиотека',
        caption: 'К юбилею писателя — его главные книги и несколько слов о нём.',
      },
      kk: {
        title: 'Жазушының мерейтойына',
        subtitle: 'Аты-жөні, өмір сүрген жылдары',
        about: {
          title: 'Өмірі мен шығармашылығы',
          body: 'Өмірбаянынан бірнеше дерек: жазушы қайда туды, не туралы жазды, қандай кітаптары басты болды.',
        },
        quote: true,
        books: 'Жазушының кітаптары',
        closing: {
          title: 'Кітапханадан оқыңыз',
          body: 'Автордың кітаптары біздің қорда бар: мекенжайы мен жұмыс уақыты.',
        },
        hashtags: '#жазушымерейтойы #кітап #кітапхана',
        caption: 'Жазушының мерейтойына — оның басты кітаптары және ол туралы бірнеше сөз.',
      },
      en: {
        title: "A writer's anniversary",
        subtitle: 'Name and surname, years of life',
        about: {
          title: 'Life and work',
          body: 'A few facts from the biography: where the writer was born, what they wrote about, which books matter most.',
        },
        quote: true,
        books: "The writer's books",
        closing: {
          title: 'Read them at the library',
          body: "The author's books are in our collection: address and opening hours.",
        },
        hashtags: '#anniversary #books #library',
        caption: "For the writer's anniversary: their main books and a few words about them.",
      },
    },
  },
  'new-arrivals': {
    theme: 'paper',
    bookSlides: 4,
    text: {
      ru: {
        title: 'Новые поступления',
        subtitle: 'Книги, которые только что пришли в библиотеку',
        books: 'Новинки месяца',
        closing: {
          title: 'Успейте взять первыми',
          body: 'Книгу можно отложить по телефону или в читальном зале.',
        },
        hashtags: '#новыекниги #новинки #библиотека',
        caption: 'Новые книги в нашем фонде: листайте карусель и выбирайте.',
      },
      kk: {
        title: 'Жаңа түскен кітаптар',
        subtitle: 'Кітапханаға жаңа ғана келген кітаптар',
        books: 'Айдың жаңа кітаптары',
        closing: {
          title: 'Бірінші болып алыңыз',
          body: 'Кітапты телефон арқылы немесе оқу залында сақтатып қоюға болады.',
        },
        hashtags: '#жаңакітаптар #жаңалықтар #кітапхана',
        caption: 'Қорымыздағы жаңа кітаптар: каруселді парақтап, таңдаңыз.',
      },
      en: {
        title: 'New arrivals',
        subtitle: 'Books that have just arrived at the library',
        books: 'New this month',
        closing: {
          title: 'Be the first to borrow them',
          body: 'Reserve a book by phone or at the reading room.',
        },
        hashtags: '#newbooks #newarrivals #library',
        caption: 'New books in our collection: swipe through and choose.',
      },
    },
  },
  'summer-reading': {
    theme: 'bright',
    bookSlides: 4,
    text: {
      ru: {
        title: 'Лето с книгой',
        subtitle: 'Что почитать летом: для детей и подростков',
        about: {
          title: 'Летнее чтение',
          body: 'Правила летнего чтения или конкурса: сколько книг прочитать, как отметиться, какие призы.',
        },
        books: 'Список на лето',
        closing: {
          title: 'Записывайтесь в библиотеку!',
          body: 'Для записи нужен документ одного из родителей. Адрес и часы работы.',
        },
        hashtags: '#летнеечтение #летосКнигой #библиотека',
        caption: 'Собрали летний список для детей и подростков. Что вы уже прочитали?',
      },
      kk: {
        title: 'Кітаппен өткен жаз',
        subtitle: 'Жазда не оқуға болады: балалар мен жасөспірімдерге',
        about: {
          title: 'Жазғы оқу',
          body: 'Жазғы оқу немесе байқау ережесі: қанша кітап оқу керек, қалай белгі қою керек, қандай сыйлықтар бар.',
        },
        books: 'Жазға арналған тізім',
        closing: {
          title: 'Кітапханаға жазылыңыз!',
          body: 'Жазылу үшін ата-ананың бірінің құжаты керек. Мекенжайы мен жұмыс уақыты.',
        },
        hashtags: '#жазғыоқу #кітаппенжаз #кітапхана',
        caption: 'Балалар мен жасөспірімдерге жазғы тізім жинадық. Сіз нені оқып қойдыңыз?',
      },
      en: {
        title: 'A summer with books',
        subtitle: 'What to read this summer: for children and teens',
        about: {
          title: 'Summer reading',
          body: 'The rules of the summer reading challenge: how many books to read, how to check in, what the prizes are.',
        },
        books: 'The summer list',
        closing: {
          title: 'Join the library!',
          body: "Bring a parent's ID to sign up. Address and opening hours.",
        },
        hashtags: '#summerreading #summerwithbooks #library',
        caption: 'Our summer list for children and teens. What have you read already?',
      },
    },
  },
};

/** The title a template's flashbook starts with in `language`. */
export function templateTitle(id: TemplateId, language: TemplateLanguage): string {
  return TEMPLATES[id].text[language].title;
}

/** The theme a template uses. */
export function templateTheme(id: TemplateId): string {
  return TEMPLATES[id].theme;
}

/** The posts and slides a template starts with, as plain data (for previews and tests). */
export function templateStructure(
  id: TemplateId,
  language: TemplateLanguage,
): { caption: string; slides: StarterSlide[] }[] {
  const tpl = TEMPLATES[id];
  const tx = tpl.text[language];
  const intro: StarterSlide[] = [{ layout: 'cover', title: tx.title, subtitle: tx.subtitle }];
  if (tx.about) intro.push({ layout: 'text', title: tx.about.title, body: [tx.about.body] });
  if (tx.quote) intro.push({ layout: 'quote' });
  const selection: StarterSlide[] = [
    { layout: 'books', title: tx.books },
    ...Array.from({ length: tpl.bookSlides }, (): StarterSlide => ({ layout: 'book' })),
    { layout: 'closing', title: tx.closing.title, body: [tx.closing.body] },
  ];
  return [
    { caption: tx.caption, slides: intro },
    { caption: '', slides: selection },
  ];
}

/**
 * Writes a template's content into a brand-new document (see `seedFlashbook` for where that may
 * happen). `title` replaces the template's own title (on the cover too).
 */
export function seedTemplate(
  doc: Y.Doc,
  id: TemplateId,
  opts: { language: TemplateLanguage; title?: string; library?: string },
  origin: Origin = SERVER,
): void {
  const tpl = TEMPLATES[id];
  const tx = tpl.text[opts.language];
  const title = opts.title?.trim() || tx.title;
  const library = opts.library ?? '';
  // One transaction (the nested ones join it): the document appears with its whole structure.
  doc.transact(() => {
    seedFlashbook(doc, { title, theme: tpl.theme, hashtags: tx.hashtags, library }, origin);
    // The seeded first post is replaced by the template's posts.
    for (const p of readFlashbook(doc).posts) deletePost(doc, p.id, origin);
    for (const post of templateStructure(id, opts.language)) {
      const [first, ...rest] = post.slides.map((s, i) => ({
        layout: s.layout,
        library,
        fields: {
          title: i === 0 && s.layout === 'cover' ? title : (s.title ?? ''),
          subtitle: s.subtitle ?? '',
        },
        body: s.body ?? [],
      }));
      if (!first) continue;
      const { postId } = addPost(doc, { library, first }, origin);
      for (const s of rest) addSlide(doc, postId, s, origin);
      const caption = asMap(postsMap(doc).get(postId))?.get(POST.caption);
      if (post.caption && caption instanceof Y.Text) caption.insert(0, post.caption);
    }
  }, origin);
}

/**
 * What a template creates, read as a flashbook view (seeded into a scratch document that is then
 * dropped): for previews of a template before anyone chooses it.
 */
export function templatePreview(id: TemplateId, language: TemplateLanguage): FlashbookView {
  const doc = new Y.Doc();
  seedTemplate(doc, id, { language });
  const view = readFlashbook(doc);
  doc.destroy();
  return view;
}
