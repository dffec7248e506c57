// This tab's id across its page loads (sessionStorage belongs to the tab and survives a
// reload): with `share`, a follower takes over only what earlier pages of its own tab left,
// so it needs to know which gone owners were its own (DESIGN §10, §11).

const KEY = 'lifeline-persist:tab';

/**
 * The id this tab's pages share; a new one per page where sessionStorage is unavailable
 * (a reloaded follower then leaves its old entries to the leader).
 */
export function tabId(): string {
  let id = Math.random().toString(36).slice(2);
  try {
    const saved = sessionStorage.getItem(KEY);
    if (saved) id = saved;
    else sessionStorage.setItem(KEY, id);
  } catch {
    // No sessionStorage (private mode, Node): an id for this page only.
  }
  return id;
}
