import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RequireAuth } from './components/auth';
import { Layout } from './components/Layout';
import { PageSkeleton } from './components/ui';

// One chunk per page: the board, which everyone opens first, does not wait for the charts.
const BoardPage = lazy(() => import('./pages/board'));
const IrritantPage = lazy(() => import('./pages/irritant'));
const ExplorerPage = lazy(() => import('./pages/explorer'));
const TriagePage = lazy(() => import('./pages/triage'));
const KpisPage = lazy(() => import('./pages/kpis'));
const MonitorsPage = lazy(() => import('./pages/monitors'));
const SourcesPage = lazy(() => import('./pages/sources'));
const SigninPage = lazy(() => import('./pages/signin'));
const PrintPage = lazy(() => import('./pages/print'));
const IntegrationsPage = lazy(() => import('./pages/integrations'));
const KeysPage = lazy(() => import('./pages/keys'));

function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
    </>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<PageSkeleton />}>
        <Routes>
          <Route path="/sign-in" element={<SigninPage />} />
          <Route
            element={
              <RequireAuth>
                <Layout />
              </RequireAuth>
            }
          >
            <Route path="/" element={<BoardPage />} />
            <Route path="/boards/:isoWeek" element={<BoardPage />} />
            <Route path="/boards/:isoWeek/print" element={<PrintPage />} />
            <Route path="/irritants/:id" element={<IrritantPage />} />
            <Route path="/verbatims" element={<ExplorerPage />} />
            <Route path="/triage" element={<TriagePage />} />
            <Route path="/kpis" element={<KpisPage />} />
            <Route path="/monitors" element={<MonitorsPage />} />
            <Route path="/sources" element={<SourcesPage />} />
            <Route path="/integrations" element={<IntegrationsPage />} />
            <Route path="/api-keys" element={<KeysPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
