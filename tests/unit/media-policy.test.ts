import { describe, expect, it } from 'vitest';
import { roles, type Role } from '@/db/schema';
import { canDeleteMedia, canEditMediaAlt, canUploadMedia, mayDeleteMedia, mediaInUseMessage } from '@/lib/media/policy';

// role → [upload, alt own, alt other's, delete own unused, delete other's unused]
const table: Record<Role, [boolean, boolean, boolean, boolean, boolean]> = {
  contributor: [true, true, false, true, false],
  author: [true, true, false, true, false],
  editor: [true, true, true, true, true],
  admin: [true, true, true, true, true],
};

describe('media policy', () => {
  for (const role of roles) {
    const [upload, altOwn, altOther, deleteOwn, deleteOther] = table[role];
    it(`${role}: upload ${upload}, alt ${altOwn}/${altOther}, delete unused ${deleteOwn}/${deleteOther}`, () => {
      expect(canUploadMedia(role)).toBe(upload);
      expect(canEditMediaAlt(role, { isOwn: true })).toBe(altOwn);
      expect(canEditMediaAlt(role, { isOwn: false })).toBe(altOther);
      expect(canDeleteMedia(role, { isOwn: true, usedBy: 0 })).toBe(deleteOwn);
      expect(canDeleteMedia(role, { isOwn: false, usedBy: 0 })).toBe(deleteOther);
      expect(mayDeleteMedia(role, { isOwn: false })).toBe(deleteOther);
    });

    it(`${role}: nobody deletes an image a post uses`, () => {
      for (const isOwn of [true, false]) {
        for (const usedBy of [1, 3]) expect(canDeleteMedia(role, { isOwn, usedBy })).toBe(false);
      }
    });
  }

  it('explains why an image in use cannot be deleted', () => {
    expect(mediaInUseMessage(2)).toBe('This image is used by 2 post(s); remove it from them first.');
  });
});
