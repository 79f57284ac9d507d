/**
 * antd's breakpoints (Grid.useBreakpoint, responsive table columns) read matchMedia, which jsdom
 * lacks (setup-tests.ts answers "no" to every query: a phone). `screenWidth(true)` answers "yes" to
 * every query, a wide screen; the returned function restores the phone.
 */
export function screenWidth(wide: boolean): () => void {
  const original = window.matchMedia;
  window.matchMedia = answeringMedia(wide);
  return () => {
    window.matchMedia = original;
  };
}

/** A matchMedia that answers `matches` to every query. */
export function answeringMedia(matches: boolean): typeof window.matchMedia {
  return (query: string) =>
    ({
      matches,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
