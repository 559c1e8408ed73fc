import { useTranslation } from 'react-i18next';
import { dismiss, useToasts } from './toasts';

/** Two live regions, always in the page so screen readers announce what is added to them. */
export function Toasts() {
  const { t } = useTranslation();
  const toasts = useToasts();
  const render = (kind: 'error' | 'info') =>
    toasts
      .filter((toast) => toast.kind === kind)
      .map((toast) => (
        <div key={toast.id} className={`toast toast-${kind}`}>
          <span className="toast-text">{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                dismiss(toast.id);
                toast.action!.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="icon-button" onClick={() => dismiss(toast.id)} aria-label={t('actions.dismiss')}>
            ×
          </button>
        </div>
      ));
  return (
    <div className="toasts">
      <div role="alert" aria-live="assertive" className="toast-region">
        {render('error')}
      </div>
      <div role="status" aria-live="polite" className="toast-region">
        {render('info')}
      </div>
    </div>
  );
}
