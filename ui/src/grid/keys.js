// What a cadre types into the temperature round, made into what the core reads. The core
// judges every value (one validation for all doors); this only expands the round's short
// keys, which are shown above the grid.

const FULL_WIDTH = /[０-９]/g;

/** The text as typed: full-width digits made plain, a comma or an input method's 。 read as
 * the decimal point (36,8 / 36。8), ℃/度 removed. */
function plain(text) {
  return String(text ?? '')
    .trim()
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。，,]/g, '.')
    .replace(/\s*(℃|度|°C?)$/i, '');
}

/**
 * A temperature typed on the round: one digit is 36.x (`5` → 36.5), two digits whole
 * degrees (`37` → 37.0), three digits with the point left out (`375` → 37.5); anything else
 * goes to the core as typed, to be judged there.
 */
export function expandTemperature(text) {
  const t = plain(text);
  if (/^\d$/.test(t)) return `36.${t}`;
  if (/^\d\d$/.test(t)) return `${t}.0`;
  if (/^\d\d\d$/.test(t)) return `${t.slice(0, 2)}.${t[2]}`;
  return t;
}

/** The symptom keys, in the order of the legend. */
export const SYMPTOM_KEYS = [
  ['0', '无'],
  ['1', '发热'],
  ['2', '干咳'],
  ['3', '乏力'],
  ['4', '咽痛'],
  ['5', '嗅(味)觉减退'],
  ['6', '腹泻'],
];

/** Symptoms typed as keys (`23` → 干咳、乏力; `0` → 无), or the words as typed. */
export function expandSymptoms(text) {
  const t = plain(text);
  if (!/^[0-6]+$/.test(t)) return t;
  if (/^0+$/.test(t)) return '无';
  if (t.includes('0')) return t;
  const words = new Map(SYMPTOM_KEYS);
  return [...new Set(t)].map((k) => words.get(k)).join('、');
}

/** A reading at or above 37.3 ℃ (the core's line for 发热). */
export const FEVER = 37.3;
export const isFever = (value) => {
  const n = Number(value);
  return value !== '' && value != null && Number.isFinite(n) && n >= FEVER;
};
