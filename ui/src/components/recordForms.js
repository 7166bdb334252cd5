// The record forms (fields, value lists, defaults, hints) come from the core once per window:
// they are fixed tables in the program, so asking again for every dialog would only cost time
// on an old laptop.
import * as api from '../api.js';

let pending = null;

/** Resolves to [{kind, label, fields}] (see api.recordForms). A failure is not remembered. */
export function loadRecordForms() {
  if (!pending) {
    pending = api.recordForms().catch((e) => {
      pending = null;
      throw e;
    });
  }
  return pending;
}

/** Forgets the loaded forms (tests mock a different core for each case). */
export function forgetRecordForms() {
  pending = null;
}

const SYMPTOM_NAMES = {
  fever: '发热', dry_cough: '干咳', fatigue: '乏力', sore_throat: '咽痛', smell_taste_loss: '嗅(味)觉减退', diarrhea: '腹泻',
};

/** The symptoms of a stored check ({fever: true, …}) in the words the form takes. */
export function symptomText(symptoms) {
  if (!symptoms) return '';
  if (Array.isArray(symptoms)) return symptoms.join('、') || '无';
  return Object.entries(SYMPTOM_NAMES).filter(([key]) => symptoms[key]).map(([, name]) => name).join('、') || '无';
}

/**
 * A stored record as the text its form shows for editing. Most fields are stored under their
 * form key; the few that are not (an arrival's 出发地, a check's symptoms) are mapped here.
 * Every value becomes text, as if typed, because the core reads a form's values as typed text.
 */
export function formValues(kind, record) {
  const values = {};
  for (const [key, value] of Object.entries(record || {})) {
    if (value == null || typeof value === 'object') continue;
    values[key] = String(value);
  }
  if (kind === 'arrival') values.origin = record.origin_address ?? record.origin_code ?? '';
  if (kind === 'health_check') {
    values.symptoms = symptomText(record.symptoms);
    for (const key of ['am_temperature', 'pm_temperature']) {
      if (record[key] != null) values[key] = Number(record[key]).toFixed(1);
    }
  }
  return values;
}
