import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import { reportError } from '../ui/toasts';

export interface SettingsList<T extends { id: string }> {
  items: T[] | null;
  reload: () => void;
  /** PATCHes one item at `<path>/<id>`, showing the change at once; a refusal puts back what the server has. */
  patch: (item: T, body: Partial<T>) => Promise<void>;
}

/** A settings list (`{ items }` from the API at `path`), reloaded after each change. */
export function useList<T extends { id: string }>(path: string): SettingsList<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const reload = useCallback(() => {
    api<{ items: T[] } | T[]>(path)
      .then((body) => setItems(Array.isArray(body) ? body : body.items))
      .catch(reportError);
  }, [path]);
  useEffect(reload, [reload]);
  const patch = useCallback(
    (item: T, body: Partial<T>) => {
      setItems((list) => list?.map((x) => (x.id === item.id ? { ...x, ...body } : x)) ?? null);
      return api(`${path}/${item.id}`, { method: 'PATCH', body }).then(reload, (error) => {
        reportError(error);
        reload();
      });
    },
    [path, reload],
  );
  return { items, reload, patch };
}
