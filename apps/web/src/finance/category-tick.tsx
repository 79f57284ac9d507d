// Names beside horizontal bars (agencies, datasets, products): on at most two lines that fit
// the axis, so neighbouring names never touch, with the whole name on hover.

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Average width of one unit (a Latin character; a CJK character is two) at a 12 px font. */
const UNIT_PX = 6.5;

const unitsOf = (character: string) => (WIDE.test(character) ? 2 : 1);

/** How many units a label may use in an axis `width` pixels wide. */
export function labelUnits(width: number): number {
  return Math.max(6, Math.floor((width - 8) / UNIT_PX));
}

/** The longest start of `characters` within `units`, shortened with "…" when the rest is cut off. */
function shorten(characters: string[], units: number): string {
  let used = 0;
  for (let index = 0; index < characters.length; index += 1) {
    used += unitsOf(characters[index] as string);
    if (used > units - 1 && index < characters.length - 1) return `${characters.slice(0, index).join('').trimEnd()}…`;
  }
  return characters.join('');
}

/**
 * A label on at most `maxLines` lines of `units` each. Lines break at spaces or beside CJK
 * characters, preferring the change between a Chinese and an English name ("市气象局" /
 * "Meteorological Bureau"); the last line is shortened with "…" when the label is longer.
 */
export function wrapLabel(value: string, units: number, maxLines = 2): string[] {
  let rest = [...value.trim().replace(/\s+/g, ' ')];
  const lines: string[] = [];
  while (rest.length > 0 && lines.length < maxLines - 1) {
    const total = rest.reduce((sum, character) => sum + unitsOf(character), 0);
    if (total <= units) break;
    let used = 0;
    let fits = 0;
    let lastBreak = -1;
    let scriptBreak = -1;
    for (let index = 0; index < rest.length; index += 1) {
      const character = rest[index] as string;
      if (index > 0) {
        const previous = rest[index - 1] as string;
        const breakable = character === ' ' || WIDE.test(character) || WIDE.test(previous);
        if (breakable && used <= units) {
          lastBreak = index;
          // A space between a wide and a narrow script: where a bilingual name changes language.
          if (character === ' ' && index + 1 < rest.length && WIDE.test(previous) !== WIDE.test(rest[index + 1] as string)) scriptBreak = index;
        }
      }
      used += unitsOf(character);
      if (used <= units) fits = index + 1;
    }
    const cut = scriptBreak > 0 ? scriptBreak : lastBreak > 0 ? lastBreak : fits;
    lines.push(rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
  }
  if (rest.length > 0) lines.push(shorten(rest, units));
  return lines;
}

export interface CategoryTickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  fill?: string;
  /** Units a line may use: see labelUnits. */
  units: number;
  fontSize?: number;
}

/** A category axis tick on up to two lines, vertically centred on its bar; the whole name as its tooltip. */
export function CategoryTick({ x, y, payload, textAnchor = 'end', fill, units, fontSize = 12 }: CategoryTickProps) {
  const name = String(payload?.value ?? '');
  const lines = wrapLabel(name, units);
  const left = Number(x ?? 0);
  return (
    <text x={left} y={Number(y ?? 0)} textAnchor={textAnchor} fill={fill} fontSize={fontSize} data-testid="category-tick">
      <title>{name}</title>
      {lines.map((line, index) => (
        <tspan key={index} x={left} dy={index === 0 ? `${0.355 - (lines.length - 1) * 0.6}em` : '1.2em'}>
          {line}
        </tspan>
      ))}
    </text>
  );
}
