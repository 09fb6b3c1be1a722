import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { transformPosition, observeText } from './textsync.ts';
import { editText, seedFlashbook } from './flashbook.ts';

describe('transformPosition', () => {
  it.each([
    ['insert before the caret pushes it right', [{ insert: 'ab' }], 3, 5],
    ['insert after the caret leaves it', [{ retain: 5 }, { insert: 'ab' }], 3, 3],
    ['insert exactly at the caret leaves it (assoc -1)', [{ retain: 3 }, { insert: 'x' }], 3, 3],
    ['delete before the caret pulls it left', [{ retain: 1 }, { delete: 2 }], 5, 3],
    ['delete spanning the caret puts it at the cut', [{ retain: 2 }, { delete: 4 }], 4, 2],
    ['delete after the caret leaves it', [{ retain: 6 }, { delete: 2 }], 4, 4],
    ['replace before the caret', [{ delete: 2 }, { insert: 'xyz' }], 4, 5],
  ] as const)('%s', (_name, delta, pos, expected) => {
    expect(transformPosition(delta, pos)).toBe(expected);
  });

  it('keeps the caret on the same character when a remote user edits the same text', () => {
    const a = new Y.Doc();
    seedFlashbook(a, { title: 'Соғыс жылдары' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const caret = 'Соғыс'.length; // local user's caret after "Соғыс"
    let moved = caret;
    const stop = observeText(a, { kind: 'title' }, (change) => {
      if (!change.local) moved = transformPosition(change.delta, moved);
    });
    b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
    editText(b, { kind: 'title' }, 'Ұлы Соғыс жылдары', 0);
    stop();
    const title = a.getMap('meta').get('title') as Y.Text;
    expect(title.toString().slice(0, moved)).toBe('Ұлы Соғыс');
  });
});
