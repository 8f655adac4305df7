/** A real public-domain piano piece from the repository's end-to-end fixtures. */
export const SATIE = new URL('../../../../test/fixtures/midi/satie-gymnopedie-no1.mid', import.meta.url)
  .pathname;
