/**
 * jsdom has no layout, so recharts' ResponsiveContainer measures 0×0 and draws nothing. This gives
 * every responsive container a size (until the returned function restores jsdom's measurement),
 * so that tests can read a chart's axes.
 */
export function sizeCharts(width = 700, height = 260): () => void {
  const measure = HTMLElement.prototype.getBoundingClientRect;
  HTMLElement.prototype.getBoundingClientRect = function getBoundingClientRect(this: HTMLElement) {
    return this.classList.contains('recharts-responsive-container') ? new DOMRect(0, 0, width, height) : measure.call(this);
  };
  return () => {
    HTMLElement.prototype.getBoundingClientRect = measure;
  };
}

/** The labels of a chart's axis drawn inside `chart`: its (first) x axis, left y axis or right y axis. */
export function axisLabels(chart: HTMLElement, axis: 'x' | 'y' | 'y-right'): string[] {
  const groups = [...chart.querySelectorAll(axis === 'x' ? '.recharts-xAxis-tick-labels' : '.recharts-yAxis-tick-labels')];
  const anchor = axis === 'y' ? 'end' : 'start';
  const group = axis === 'x' ? groups[0] : groups.find((candidate) => candidate.querySelector(`text[text-anchor="${anchor}"]`));
  return [...(group?.querySelectorAll('.recharts-cartesian-axis-tick-value') ?? [])].map((tick) => tick.textContent ?? '');
}
