import { describe, expect, it } from 'vitest';
import { CLOSE } from '../protocol/close-codes.ts';
import { refusalKind } from './session.ts';

describe('what a refusal means for the editor', () => {
  it.each([
    [CLOSE.LINK_REPLACED, 'linkReplaced'],
    [CLOSE.FORBIDDEN_CHANGE, 'forbiddenChange'],
    [CLOSE.UNAUTHORIZED, 'fatal'],
    [CLOSE.NOT_FOUND, 'fatal'],
    [CLOSE.FLASHBOOK_FULL, 'sizeLimit'],
    [CLOSE.CLIENT_ID_CONFLICT, 'clientId'],
  ] as const)('close code %i is %s', (code, kind) => {
    expect(refusalKind(code)).toBe(kind);
  });
});
