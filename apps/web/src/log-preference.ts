/**
 * The log-scale choice of each chart, kept in localStorage so a reload keeps it. Storage can be
 * missing or refuse writes (private windows, file quotas): the toggle then just lasts for the page.
 */
const KEY = 'mt-dashboard:log-scale';

export function loadLogCharts(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Set<string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

export function saveLogCharts(
  charts: ReadonlySet<string>,
  storage: Pick<Storage, 'setItem'> | undefined = safeStorage(),
): void {
  try {
    storage?.setItem(KEY, JSON.stringify([...charts].sort()));
  } catch {
    // Not persisted; the current page still uses the choice.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
