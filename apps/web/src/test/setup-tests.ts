import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { initI18n } from '../i18n/i18n';
import { answeringMedia } from './screen-width';

// Suites that declare `@jest-environment node` (fetch-level tests) have no DOM to prepare.
const hasDom = typeof window !== 'undefined';

// jsdom lacks the layout APIs antd's responsive components ask for.
if (hasDom && !window.matchMedia) window.matchMedia = answeringMedia(false);

if (hasDom && !('ResizeObserver' in window)) {
  class NoopResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(window, { ResizeObserver: NoopResizeObserver });
}

// antd validates and animates asynchronously; with every suite running at once on a small
// machine, a page may take a few seconds to answer.
configure({ asyncUtilTimeout: 5000 });

// Tests assert on the English texts.
if (hasDom) initI18n('en');

// jsdom implements getComputedStyle for elements only; antd's scrollbar measurement also asks
// for a pseudo-element, which jsdom reports as "not implemented" on every table render.
if (hasDom) {
  const elementStyle = window.getComputedStyle.bind(window);
  window.getComputedStyle = (element: Element) => elementStyle(element);
}

// jsdom has no layout, so nothing to scroll; pages scroll to the top on navigation.
if (hasDom) window.scrollTo = () => undefined;

// Nor text measurement: the SQL editor (CodeMirror) measures text ranges to place the cursor and its completion list.
if (hasDom) {
  Range.prototype.getClientRects ??= () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect ??= () => new DOMRect();
}
