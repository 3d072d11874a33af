// Pages most visits never open are loaded when first opened, so a first load compiles the frame and the page
// it shows, not the whole client. A page whose code cannot be fetched (offline, or a new version deployed
// meanwhile) says so with a retry instead of leaving a blank screen; so does a page that fails to render.
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { Layout } from './layout';
import { Loading } from './status';

/** A page's code could not be fetched: offline, or a newer version of the client replaced it on the server. */
export class PageLoadError extends Error {
  constructor(cause: unknown) {
    super('The page could not be fetched', { cause });
    this.name = 'PageLoadError';
  }
}

/** A page component loaded on first use; `load` imports its module and picks the component. */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Page = lazy(async () => {
    try {
      return { default: await load() };
    } catch (error) {
      throw new PageLoadError(error);
    }
  });
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

class PageBoundary extends Component<{ children: ReactNode }, { failed: 'fetch' | 'render' | null }> {
  state = { failed: null };

  static getDerivedStateFromError(error: unknown) {
    return { failed: error instanceof PageLoadError ? 'fetch' : 'render' };
  }

  render() {
    return this.state.failed ? <PageFailed why={this.state.failed} /> : this.props.children;
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
function PageFailed({ why }: { why: 'fetch' | 'render' }) {
  const { t } = useI18n();
  const text = why === 'fetch' ? t('status.connection') : t('status.pageFailed');
  return (
    <Layout title={text}>
      <div className="status status-error" role="alert">
        <p>{text}</p>
        <button type="button" className="button secondary" onClick={() => window.location.reload()}>
          {t('status.retry')}
        </button>
      </div>
    </Layout>
  );
}
