// Rows copied from Excel or WPS, as the clipboard holds them: tab-separated text, quoted
// where a cell holds a tab, a line break or a quote (Papa Parse reads that dialect), or, from
// some programs, only an HTML table.
import Papa from 'papaparse';

/** The non-blank rows of a paste, each a list of cell texts. */
export function pastedRows(clipboardData) {
  const text = clipboardData?.getData('text/plain') ?? '';
  let rows = [];
  if (text.trim()) {
    rows = Papa.parse(text.replace(/\r?\n$/, ''), { delimiter: '\t', quoteChar: '"', skipEmptyLines: false }).data;
  } else {
    const html = clipboardData?.getData('text/html') ?? '';
    const table = html && new DOMParser().parseFromString(html, 'text/html').querySelector('table');
    if (table) rows = [...table.rows].map((tr) => [...tr.cells].map((td) => td.textContent.trim()));
  }
  return rows.map((r) => r.map((c) => String(c ?? ''))).filter((r) => r.some((c) => c.trim() !== ''));
}
