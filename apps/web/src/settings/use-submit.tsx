import { FormEvent, useState } from 'react';
import { ApiError } from '../api/client';

/** A settings form's submit: the server's refusal shown on the form (`error`), `busy` while it runs. */
export function useSubmit(save: () => Promise<void>): { submit: (event: FormEvent) => Promise<void>; error: string | null; busy: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}

/** The form's error line, read out when it appears. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}
