// The report sheet on the 报表 page as the clerk sees it, read in one go, and waiting for it
// to settle after a click: a step reads the form it clicked, never the one shown before.
import { setTimeout as sleep } from 'node:timers/promises';

/** Everything of the sheet on screen, read in one go: title, meta, header texts row by row,
 * the rows, 合计, the zero report, footnotes, the count line and the status line. */
export async function screenSheet(s) {
  const script = `
    const sheet = document.querySelector('[data-test=report-preview]');
    if (!sheet) return null;
    const cells = (tr) => [...tr.cells].map((c) => c.textContent);
    const one = (css) => sheet.querySelector(css);
    return {
      title: one('.title').textContent,
      meta: one('[data-test=report-meta]') ? [one('[data-test=report-meta] .left').textContent, one('[data-test=report-meta] .right').textContent] : null,
      header: [...sheet.querySelectorAll('thead tr')].map(cells),
      // Where each header cell sits (row, first column), laid out as the table lays it out.
      headerCells: (() => {
        const taken = [];
        const placed = [];
        [...sheet.querySelectorAll('thead tr')].forEach((tr, r) => {
          let col = 0;
          for (const th of tr.cells) {
            while (taken[r]?.[col]) col++;
            placed.push({ row: r, col, text: th.textContent });
            for (let i = 0; i < th.rowSpan; i++) for (let j = 0; j < th.colSpan; j++) (taken[r + i] ||= [])[col + j] = th.textContent;
            col += th.colSpan;
          }
        });
        // Each column's name: its header texts from top to bottom (体温（℃）/上午).
        const columns = (taken[0] || []).map((_, c) => [...new Set(taken.map((row) => row[c]))].join('/'));
        return { placed, columns };
      })(),
      rows: [...sheet.querySelectorAll('[data-test=report-row]')].map(cells),
      totals: one('[data-test=report-totals]') ? cells(one('[data-test=report-totals]')) : null,
      zero: one('[data-test=zero-report]') ? one('[data-test=zero-report]').textContent : null,
      notes: [...sheet.querySelectorAll('.definitions, .footer')].map((d) => d.textContent),
      count: one('[data-test=report-count]').textContent.trim(),
      status: document.querySelector('[data-test=report-status]').textContent.trim(),
    };`;
  return s.cmd('POST', '/execute/sync', { script, args: [] });
}

/** Waits until the preview has refreshed: nothing is being updated for a while (the page
 * waits 300 ms after a change before it asks), and `ready` holds for what is shown. */
export async function settled(s, ready, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let quiet = 0;
  let last = null;
  while (Date.now() < deadline) {
    last = await screenSheet(s);
    const calm = last && !last.status.includes('正在更新') && (await s.all('[data-test=report-error]')).length === 0;
    quiet = calm && ready(last) ? quiet + 1 : 0;
    if (quiet >= 3) return last;
    await sleep(250);
  }
  throw new Error(`the preview did not settle: ${JSON.stringify(last && { status: last.status, count: last.count, rows: last.rows.length, first: last.rows[0] })}`);
}

/** Picks a form from the list and waits for its own preview (and the page's fresh parameters). */
export async function openForm(s, name) {
  await s.click('[data-test=template-item]', { text: name });
  return settled(s, (x) => x.title === name || x.title.includes(name));
}
