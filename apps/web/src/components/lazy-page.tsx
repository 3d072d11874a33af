// Pages most visits never open are loaded when first opened, so a first load compiles the frame and the page
// it shows, not the whole client. A page whose code cannot be fetched (offline, or a new version deployed
// meanwhile) says so with a retry instead of leaving a blank screen; so does a page that fails to render.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { Layout } from './layout';
import { Loading } from './status';

/** A page component loaded on first use; `load` imports its module and picks the component. */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Page = lazy(async () => ({ default: await load() }));
  function LazyPage(props: P) {
    return (
      <PageBoundary>
        <Suspense fallback={<LoadingPage />}>
          <Page {...props} />
        </Suspense>
      </PageBoundary>
    );
  }
  return LazyPage;
}

class PageBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <PageFailed /> : this.props.children;
  }
}

function LoadingPage() {
  const { t } = useI18n();
  return (
    <Layout title={t('status.loading')}>
      <Loading />
    </Layout>
  );
}

/**
 * Retry reloads the page: the browser keeps a failed script fetch as failed for the life of the page, so
 * asking again without a reload would fail again even once the network is back.
 */
function PageFailed() {
  const { t } = useI18n();
  return (
    <Layout title={t('status.pageFailed')}>
      <div className="status status-error" role="alert">
        <p>{t('status.pageFailed')}</p>
        <button type="button" className="button secondary" onClick={() => window.location.reload()}>
          {t('status.retry')}
        </button>
      </div>
    </Layout>
  );
}
