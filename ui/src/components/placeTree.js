// Places as a tree, from their paths (青山镇/石桥村/第3网格): an import names places all over a
// township, and a clerk checks them village by village, not as one long line of paths.

const byPath = (a, b) => a.path.localeCompare(b.path, 'zh-CN', { numeric: true });

/**
 * The places `items` (each with `path` and `rows`) as the lines of a tree, in path order:
 * `[{name, path, depth, item, rows}]`. The places above them (the township, the village) are
 * lines of their own with `item` null, so the clerk sees where each place would go. A line's
 * rows are its place's own count (which, for a place created, already counts the rows under
 * it), or for a line above the places, the sum of the places under it.
 */
export function placeTree(items) {
  const root = { children: new Map() };
  for (const item of [...items].sort(byPath)) {
    const parts = item.path.split('/').filter((p) => p !== '');
    let node = root;
    parts.forEach((name, i) => {
      if (!node.children.has(name)) {
        node.children.set(name, { name, path: parts.slice(0, i + 1).join('/'), item: null, children: new Map() });
      }
      node = node.children.get(name);
    });
    node.item = item;
  }
  const rowsOf = (node) => (node.item ? node.item.rows : [...node.children.values()].reduce((sum, c) => sum + rowsOf(c), 0));
  const lines = [];
  const walk = (node, depth) => {
    for (const child of node.children.values()) {
      lines.push({ name: child.name, path: child.path, depth, item: child.item, rows: rowsOf(child) });
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return lines;
}
