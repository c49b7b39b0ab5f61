import { Suspense, useId, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language, setLanguage } from '../i18n';
import { useAuth } from './auth';
import { PageSkeleton } from './ui';

const NAVIGATION = [
  { to: '/', key: 'board', end: true },
  { to: '/verbatims', key: 'verbatims', end: false },
  { to: '/triage', key: 'triage', end: false },
  { to: '/kpis', key: 'kpis', end: false },
  { to: '/monitors', key: 'monitors', end: false },
  { to: '/sources', key: 'sources', end: false },
  { to: '/integrations', key: 'integrations', end: false, admins: true },
  { to: '/api-keys', key: 'apiKeys', end: false, admins: true },
] as const;

/** The FR/EN switch: two toggle buttons, the current one pressed; the choice is remembered. */
function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language: Language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={i18n.resolvedLanguage === language}
          title={t(`language.${language}`)}
          onClick={() => setLanguage(language)}
        >
          {language.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

/** Every signed-in page: a skip link, the top navigation, who is signed in, and the page. */
export function Layout() {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  // On a phone the navigation folds behind a Menu button; it folds again once a page is chosen.
  // (Open for one page: the path it was opened on.)
  const { pathname } = useLocation();
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const setMenuOpen = (open: boolean) => setMenuOpenOn(open ? pathname : null);
  const menuId = useId();

  const onSignOut = async () => {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      setSigningOut(false);
      void navigate('/sign-in', { replace: true });
    }
  };

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand" aria-label={t('brandHome')}>
            <span className="brand-mark" aria-hidden="true">
              ♥
            </span>
            {t('appName')}
          </NavLink>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span> {t('menu.open')}
          </button>
          <nav
            aria-label={t('nav.label')}
            id={menuId}
            className={menuOpen ? 'main-nav main-nav-open' : 'main-nav'}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setMenuOpen(false);
            }}
          >
            <ul>
              {NAVIGATION.filter((item) => !('admins' in item) || me.role === 'admin').map((item) => (
                <li key={item.key}>
                  <NavLink to={item.to} end={item.end}>
                    {t(`nav.${item.key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <LanguageSwitch />
            <span className="account-who">
              <span className="account-name" translate="no">
                {me.displayName}
              </span>
              <span className={`role-badge role-${me.role}`}>{t(`role.${me.role}`)}</span>
            </span>
            {me.kind === 'user' && (
              <button
                type="button"
                className="button-quiet"
                onClick={() => void onSignOut()}
                disabled={signingOut}
              >
                {t('signOut')}
              </button>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="page">
        {/* Pages load lazily: the navigation stays while one arrives. */}
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
