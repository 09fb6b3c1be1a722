import type * as Y from 'yjs';
import {
  addPost,
  addSlide,
  deleteSlide,
  editText,
  readFlashbook,
  seedFlashbook,
} from '../../src/model/flashbook.ts';
import { SERVER } from '../../src/model/origins.ts';
import type { NewSlide } from '../../src/model/flashbook.ts';

/**
 * The demo flashbook: "Literature of Kazakhstan about the war of 1941–1945", in Russian and Kazakh,
 * with annotations written for this project. Books have no cover images (no copyrighted pictures):
 * the theme draws each one a placeholder cover in its own colour with its title and author.
 * Seeded here, on the server, so an offline client never seeds (and duplicates) it.
 */
export const DEMO_TITLE = 'Литература Казахстана о войне 1941–1945 годов';

const LIBRARIES = {
  regional: 'Областная детская библиотека',
  talgar: 'Талғар аудандық кітапханасы',
  esik: 'Есикская городская библиотека',
};

interface DemoPost {
  library: string;
  caption: string;
  slides: NewSlide[];
}

const book = (
  library: string,
  f: NewSlide['fields'],
  body: string[],
  ageLabel = '12+',
): NewSlide => ({
  layout: 'book',
  library,
  ageLabel,
  fields: f,
  body,
});

const POSTS: DemoPost[] = [
  {
    library: LIBRARIES.regional,
    caption:
      'Открываем виртуальную выставку «Литература Казахстана о войне 1941–1945 годов». Листайте карусель: книги, которые помогают помнить.',
    slides: [
      {
        layout: 'cover',
        library: LIBRARIES.regional,
        ageLabel: '12+',
        fields: {
          title: DEMO_TITLE,
          subtitle: '1941–1945 жылдардағы соғыс туралы Қазақстан әдебиеті',
          altText: 'Обложка флешбука «Литература Казахстана о войне 1941–1945 годов».',
        },
        body: ['Флешбук библиотек области: областная детская, Талгарская и Есикская библиотеки'],
      },
      book(
        LIBRARIES.regional,
        {
          author: 'Бауыржан Момышулы',
          title: 'За нами Москва. Записки офицера',
          place: 'Алма-Ата',
          year: '1959',
          altText: 'Слайд о книге Бауыржана Момышулы «За нами Москва. Записки офицера».',
        },
        [
          'Воспоминания командира батальона Панфиловской дивизии об обороне Москвы осенью 1941 года.',
          'Момышулы рассказывает о первых боях, о том, как учил солдат побеждать страх и беречь друг друга, и о цене, которой оплачена каждая верста под Волоколамском.',
        ],
      ),
      book(
        LIBRARIES.regional,
        {
          author: 'Александр Бек',
          title: 'Волоколамское шоссе',
          year: '1943–1944',
          altText: 'Слайд о повести Александра Бека «Волоколамское шоссе».',
        },
        [
          'Повесть о панфиловцах, написанная по рассказам Бауыржана Момышулы, который стал её главным героем.',
          'Бек сохраняет живую речь комбата и показывает, как из вчерашних новобранцев складывается батальон, способный остановить врага на подступах к Москве.',
        ],
      ),
    ],
  },
  {
    library: LIBRARIES.talgar,
    caption:
      'Соғыс жылдарындағы қазақ поэзиясы: Қасым Аманжолов пен Жамбыл Жабаевтың жырлары. Поэзия казахских поэтов военных лет.',
    slides: [
      book(
        LIBRARIES.talgar,
        {
          author: 'Қасым Аманжолов',
          title: 'Ақын өлімі туралы аңыз',
          year: '1944',
          altText: 'Қасым Аманжоловтың «Ақын өлімі туралы аңыз» поэмасы туралы слайд.',
        },
        [
          'Майданда қаза тапқан жас ақын Абдолла Жұмағалиевке арналған поэма.',
          'Аманжолов досының ерлігін аңыз тілімен жырлап, елін қорғаған қазақ жауынгерінің рухын мәңгі есте қалдырады.',
        ],
      ),
      book(
        LIBRARIES.talgar,
        {
          author: 'Жамбыл Жабаев',
          title: 'Ленинградтық өренім',
          year: '1941',
          altText: 'Жамбыл Жабаевтың «Ленинградтық өренім» өлеңі туралы слайд.',
        },
        [
          'Қоршаудағы Ленинград тұрғындарына арналған өлең. Тоқсан бес жастағы ақын ленинградтықтарды «өренім» деп атап, бүкіл Қазақстан олармен бірге екенін айтады.',
          'Орыс тіліне аударылған өлең қоршаудағы қаланың қабырғаларына ілінген.',
        ],
        '6+',
      ),
      {
        layout: 'quote',
        library: LIBRARIES.talgar,
        fields: {
          quote: 'Ленинградцы, дети мои! Ленинградцы, гордость моя!',
          quoteSource: 'Жамбыл Жабаев, 1941',
          altText: 'Цитата из стихотворения Жамбыла Жабаева «Ленинградцы, дети мои!».',
        },
      },
    ],
  },
  {
    library: LIBRARIES.esik,
    caption:
      'Проза о фронтовых днях: Тахауи Ахтанов и Малик Габдуллин. Майдангер жазушылардың шығармалары. Приходите в библиотеку — книги ждут читателей.',
    slides: [
      book(
        LIBRARIES.esik,
        {
          author: 'Тахауи Ахтанов',
          title: 'Қаһарлы күндер',
          year: '1957',
          altText: 'Тахауи Ахтановтың «Қаһарлы күндер» романы туралы слайд.',
        },
        [
          'Соғыстың алғашқы жылдары туралы роман. Жазушы майданда өзі көргенін жазып, жас жауынгерлердің ауыр сынақтан өтіп, шынайы батырлыққа қалай жеткенін көрсетеді.',
        ],
        '14+',
      ),
      book(
        LIBRARIES.esik,
        {
          author: 'Мәлік Ғабдуллин',
          title: 'Менің майдандас достарым',
          altText: 'Мәлік Ғабдуллиннің «Менің майдандас достарым» кітабы туралы слайд.',
        },
        [
          'Кеңес Одағының Батыры, Панфилов дивизиясында соғысқан Мәлік Ғабдуллиннің майдандас жолдастары туралы очерктері.',
          'Қатардағы жауынгерлер мен командирлердің тағдыры, ерлігі мен достығы туралы шынайы әңгіме.',
        ],
      ),
      {
        layout: 'closing',
        library: LIBRARIES.esik,
        fields: {
          title: 'Ждём вас в библиотеках! · Кітапханаға келіңіздер!',
          altText: 'Контакты библиотек-участниц флешбука.',
        },
        body: [
          'Областная детская библиотека — абонемент и читальный зал',
          'Талғар аудандық кітапханасы',
          'Есикская городская библиотека',
          '#Жеңіс80 #КітапКөрмесі',
        ],
      },
    ],
  },
];

/** Writes the demo flashbook into an empty document. */
export function seedDemoFlashbook(doc: Y.Doc): void {
  doc.transact(() => {
    seedFlashbook(
      doc,
      {
        title: DEMO_TITLE,
        library: LIBRARIES.regional,
        hashtags: '#Жеңіс80 #КітапКөрмесі #Флешбук',
        ageLabelSet: 'kz',
      },
      SERVER,
    );
    // seedFlashbook made one post with a cover slide; the demo brings its own.
    const first = readFlashbook(doc).posts[0];
    let afterPostId: string | undefined;
    for (const [i, post] of POSTS.entries()) {
      let postId: string;
      let rest = post.slides;
      if (i === 0 && first) {
        // The first post is the one seedFlashbook made; its plain cover gives way to the demo's.
        postId = first.id;
        for (const s of first.slides) deleteSlide(doc, s.id, SERVER);
      } else {
        const [firstSlide, ...others] = post.slides;
        postId = addPost(
          doc,
          { afterPostId, library: post.library, first: firstSlide },
          SERVER,
        ).postId;
        rest = others;
      }
      afterPostId = postId;
      editText(doc, { kind: 'caption', postId }, post.caption, undefined, SERVER);
      for (const slide of rest) addSlide(doc, postId, slide, SERVER);
    }
  }, SERVER);
}
