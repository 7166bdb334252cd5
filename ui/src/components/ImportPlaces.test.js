// A county's sheet names thousands of places the ledger lacks: the list is a tree of its
// townships and villages with their true row counts, folded below the villages, with 全部新建
// first, and a village's grids created at one tick.
import { expect, test } from 'vitest';
import { mount } from '@vue/test-utils';
import ImportPlaces from './ImportPlaces.vue';

const TOWNSHIPS = ['青山镇', '白水镇', '石门镇', '龙泉镇', '桃源镇'];
// 5 townships × 30 villages × 45 grids, the first grid of each village with 15 rows, the
// others 14: the grids of a ledger that has the villages but not yet their grids.
const GRIDS = TOWNSHIPS.flatMap((t) => Array.from({ length: 30 }, (_, v) => `${t}/第${v + 1}村`))
  .flatMap((village) => Array.from({ length: 45 }, (_, g) => ({
    path: `${village}/第${g + 1}网格`, level: '网格', name: `第${g + 1}网格`, rows: g === 0 ? 15 : 14, suggestion: null, suggestion_id: null,
  })));

function mountPlaces(choices = {}) {
  return mount(ImportPlaces, {
    props: {
      report: { unknown_places: GRIDS, places_created: [] },
      choices: { create_places: false, places_to_create: [], place_aliases: {}, ...choices },
      seen: {},
    },
  });
}

test('6,750 grids show as their townships and villages, each with the rows under it', () => {
  const page = mountPlaces();
  expect(GRIDS).toHaveLength(6750);
  expect(page.get('[data-test=import-unknown-summary]').text()).toContain('6750 处（94650 行）');
  const lines = page.findAll('li');
  expect(lines).toHaveLength(5 + 150);
  expect(page.findAll('[data-test=import-unknown-place]')).toHaveLength(0);
  expect(lines[0].text()).toContain('白水镇（18930 行，1350 处）');
  expect(lines[1].text()).toContain('第1村（631 行，45 处）');
  // 全部新建 comes before the long list.
  const all = page.get('[data-test=import-create-places]');
  expect(Boolean(all.element.compareDocumentPosition(lines[0].element) & Node.DOCUMENT_POSITION_FOLLOWING)).toBe(true);
});

test('a village opens to its grids, and its grids are created at one tick', async () => {
  const page = mountPlaces();
  const village = () => page.findAll('[data-test=place-group]').find((w) => w.text().includes('青山镇') === false && w.attributes('title') === '青山镇/第2村');
  await village().get('[data-test=place-toggle]').trigger('click');
  expect(page.findAll('[data-test=import-unknown-place]')).toHaveLength(45);
  expect(page.findAll('[data-test=import-unknown-place]')[1].text()).toContain('第2网格（网格，14 行）');
  await village().get('[data-test=import-group-create]').setValue(true);
  const change = page.emitted('change').at(-1)[0];
  expect(change.places_to_create).toHaveLength(45);
  expect(change.places_to_create[0]).toBe('青山镇/第2村/第1网格');
  await village().get('[data-test=place-toggle]').trigger('click');
  expect(page.findAll('[data-test=import-unknown-place]')).toHaveLength(0);
});

test('a village whose grids are all to be created shows ticked, and unticking takes them all back', async () => {
  const chosen = GRIDS.filter((g) => g.path.startsWith('桃源镇/第30村/')).map((g) => g.path);
  const page = mountPlaces({ places_to_create: ['白水镇/第1村/第1网格', ...chosen] });
  const village = page.findAll('[data-test=place-group]').find((w) => w.attributes('title') === '桃源镇/第30村');
  expect(village.get('[data-test=import-group-create]').element.checked).toBe(true);
  await village.get('[data-test=import-group-create]').setValue(false);
  expect(page.emitted('change').at(-1)[0].places_to_create).toEqual(['白水镇/第1村/第1网格']);
});
