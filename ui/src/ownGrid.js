// The grid a logged-in 网格员 is responsible for (null for anyone else, or a 网格员 of the whole
// village): the lists of 今日 and 体温登记 start on it.
export function ownGrid(lockState) {
  const login = lockState?.value?.login;
  return login?.role === '网格员' ? login.grid ?? null : null;
}
