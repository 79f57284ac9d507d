/**
 * antd's breakpoints (Grid.useBreakpoint, responsive table columns) read matchMedia, which jsdom
 * lacks (setup-tests.ts answers "no" to every query: a phone). `screenWidth(true)` answers "yes" to
 * every query, a wide screen; the returned function restores the phone.
 */
export function screenWidth(wide: boolean): () => void {
  const original = window.matchMedia;
  window.matchMedia = (query: string) =>
    ({
      matches: wide,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
  return () => {
    window.matchMedia = original;
  };
}
