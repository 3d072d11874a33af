// Loading, error and "saved" states, worded for the people using the app.
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="status status-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t('status.loading')}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t, errorText } = useI18n();
  const text = errorText(error);
  return (
    <div className={`status status-error status-${error.kind}`} role="alert">
      <p>{text}</p>
      {onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {t('status.retry')}
        </button>
      )}
    </div>
  );
}

/** Shows loading, then an error, then the content once there is data. */
export function QueryView<R>({
  state,
  children,
}: {
  state: { data: R | null; error: ApiError | null; loading: boolean; refetch: () => void };
  children: (data: R) => ReactNode;
}) {
  if (state.error && !state.data) return <ErrorMessage error={state.error} onRetry={state.refetch} />;
  if (!state.data) return <Loading />;
  return (
    <>
      {state.error && <ErrorMessage error={state.error} onRetry={state.refetch} />}
      {children(state.data)}
    </>
  );
}
