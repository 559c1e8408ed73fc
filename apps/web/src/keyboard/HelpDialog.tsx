import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from './shortcuts';

/** The `?` overlay: every shortcut, in a modal dialog (Escape closes, focus returns). */
export function HelpDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="help-title" onClose={onClose} onCancel={onClose}>
      <h2 id="help-title">{t('keyboard.title')}</h2>
      <p className="muted">{t('keyboard.intro')}</p>
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>
                {s.keys.map((k) => (
                  <kbd key={k}>{k === 'Enter' ? t('keyboard.enter') : k}</kbd>
                ))}
              </td>
              <td>{t(`keyboard.commands.${s.command}`)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Ctrl</kbd>+<kbd>{t('keyboard.enter')}</kbd>
            </td>
            <td>{t('keyboard.commands.send')}</td>
          </tr>
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>{t('keyboard.commands.escape')}</td>
          </tr>
        </tbody>
      </table>
      <form method="dialog" className="dialog-actions">
        <button type="submit" className="button" autoFocus>
          {t('actions.close')}
        </button>
      </form>
    </dialog>
  );
}
