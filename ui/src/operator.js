// What the window knows of the logged-in operator (from lock_status): the grid a 网格员's
// lists start on, and the work their role may not do, with the core's reason why.

// The grid a logged-in 网格员 is responsible for (null for anyone else, or a 网格员 of the whole
// village): the lists of 今日 and 体温登记 start on it.
export function ownGrid(lockState) {
  const login = lockState?.value?.login;
  return login?.role === '网格员' ? login.grid ?? null : null;
}

// Why the logged-in operator may not do `duty` (settings, templates, import, purge, restore,
// plain_copy, operators), or null when they may. The reason is the core's refusal, so the
// window says before a click what the core would say after it.
export function cannot(lockState, duty) {
  return lockState?.value?.cannot?.[duty] ?? null;
}
