import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { LanguageSwitch } from '../prefs/PreferencesMenu';
import { login } from './session';

/** A standard form, so password managers fill it: email + current-password, errors in words. */
export function LoginPage() {
  const { t } = useTranslation('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'INVALID_CREDENTIALS') setError(t('errors.invalidCredentials'));
      else if (e instanceof ApiError && e.code === 'NETWORK_ERROR') setError(t('errors.unreachable'));
      else if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') setError(t('errors.invalidInput'));
      else if (e instanceof ApiError && e.status === 429) setError(t('errors.tooMany'));
      else setError(t('errors.other', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login-page">
      <form className="login-card" onSubmit={submit} aria-describedby={error ? 'login-error' : undefined} noValidate={false}>
        <h1 className="login-title">
          <span aria-hidden="true">پاسخ</span> Pasokh
        </h1>
        <p className="muted">{t('intro')}</p>
        <div className="field">
          <label htmlFor="login-email">{t('email')}</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autoComplete="username"
            required
            dir="ltr"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoFocus
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            dir="ltr"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p id="login-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
        <div className="login-footer">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  );
}
