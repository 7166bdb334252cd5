// The memory of the running desktop app as the system counts it: the PSS (proportional set
// size: shared pages split between the processes sharing them) of the app and every process
// under it (WebKit's web and network processes). Used by the county test and the start-up
// benchmark.
import { readFileSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';

/** The PIDs of the app (found by its binary) and every process under it. */
export function appProcesses(app) {
  const binary = realpathSync(app);
  const parent = new Map();
  const roots = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (readlinkSync(`/proc/${name}/exe`).startsWith(binary)) roots.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  const all = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (all.has(ppid) && !all.has(pid)) {
        all.add(pid);
        grew = true;
      }
    }
  }
  return [...all];
}

/** PSS in kB of the app's processes now: {total, byProcess: {name: kB}}. */
export function appMemory(app) {
  let total = 0;
  const byProcess = {};
  for (const pid of appProcesses(app)) {
    try {
      const pss = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] || 0);
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      total += pss;
      byProcess[name] = (byProcess[name] || 0) + pss;
    } catch {
      // Ended between the listing and the read.
    }
  }
  return { total, byProcess };
}

/** "gridledger-app 120 MB, WebKitWebProces 180 MB, …" */
export const megabytes = (byProcess) => Object.entries(byProcess).map(([n, kb]) => `${n} ${(kb / 1024).toFixed(0)} MB`).join(', ');
