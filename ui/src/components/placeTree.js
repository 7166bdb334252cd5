// Places as a tree, from their paths (青山镇/石桥村/第3网格): an import names places all over a
// county, and a clerk checks them township by township and village by village, not as one long
// line of 6,750 paths.

// One collator for every comparison: `localeCompare` builds one per call, which is slow over
// thousands of places.
const collator = new Intl.Collator('zh-CN', { numeric: true });
const byPath = (a, b) => collator.compare(a.path, b.path);

/** A tree this long or shorter is shown whole; a longer one is folded below its villages. */
export const SHOWN_WHOLE = 40;

/**
 * The places `items` (each with `path` and `rows`) as a tree, in path order:
 * `[{name, path, depth, item, rows, places, children}]`. The places above them (the township,
 * the village) are nodes of their own with `item` null, so the clerk sees where each place
 * would go. A node's rows are its place's own count (which, for a place created, already
 * counts the rows under it), or for a node above the places, the sum of its children's;
 * `places` is how many of `items` lie at or under it.
 */
export function placeForest(items) {
  const root = { children: new Map() };
  for (const item of [...items].sort(byPath)) {
    const parts = item.path.split('/').filter((p) => p !== '');
    let node = root;
    parts.forEach((name, i) => {
      if (!node.children.has(name)) {
        node.children.set(name, { name, path: parts.slice(0, i + 1).join('/'), depth: i, item: null, children: new Map() });
      }
      node = node.children.get(name);
    });
    node.item = item;
  }
  const finish = (node) => {
    const children = [...node.children.values()].map(finish);
    const rows = node.item ? node.item.rows : children.reduce((sum, c) => sum + c.rows, 0);
    const places = (node.item ? 1 : 0) + children.reduce((sum, c) => sum + c.places, 0);
    return { name: node.name, path: node.path, depth: node.depth, item: node.item, rows, places, children };
  };
  return [...root.children.values()].map(finish);
}

/** The level of a node: its place's, or for a node above the places, read from its name. */
export function levelOf(node) {
  if (node.item?.level) return node.item.level;
  if (/(县|区|市)$/.test(node.name)) return '县';
  if (/(镇|乡|街道)$/.test(node.name)) return '乡镇';
  return '村';
}

/** Whether a node shows its children before the clerk opens or closes it: above villages. */
export const openAtFirst = (node) => ['县', '乡镇'].includes(levelOf(node));

/** Every line of the forest, opened or not. */
export function allLines(forest) {
  const lines = [];
  const walk = (nodes) => nodes.forEach((n) => { lines.push(n); walk(n.children); });
  walk(forest);
  return lines;
}

/**
 * The lines to draw: every node whose parents are open. `toggled` holds the paths the clerk
 * opened or closed against `isOpen`'s default.
 */
export function visibleLines(forest, toggled = new Set(), isOpen = openAtFirst) {
  const lines = [];
  const walk = (nodes) => {
    for (const node of nodes) {
      const open = node.children.length > 0 && isOpen(node) !== toggled.has(node.path);
      lines.push({ ...node, open });
      if (open) walk(node.children);
    }
  };
  walk(forest);
  return lines;
}

/** The places (items) at or under a node. */
export function itemsUnder(node) {
  return allLines([node]).filter((n) => n.item).map((n) => n.item);
}

/**
 * The places `items` as the lines of a tree, all of them, in path order:
 * `[{name, path, depth, item, rows}]` (see placeForest).
 */
export function placeTree(items) {
  return allLines(placeForest(items)).map(({ name, path, depth, item, rows }) => ({ name, path, depth, item, rows }));
}
