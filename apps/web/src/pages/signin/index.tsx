import { type FormEvent, useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, apiClient, data } from '../../api';
import { LANGUAGES, setLanguage } from '../../i18n';
import { ErrorNote } from '../../components/ui';
import './signin.css';

/** A path of this site only (the API checks it again): never an absolute or protocol-relative URL. */
function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (value.startsWith('/sign-in')) return '/';
  return value;
}

/** Codes the API puts in `?error=` (single sign-on); anything else reads as a generic failure. */
const KNOWN_ERRORS = [
  'access_denied',
  'account_conflict',
  'account_disabled',
  'bad_state',
  'email_missing',
  'expired',
  'oidc_not_configured',
  'provider_error',
  'provider_unavailable',
  'server_error',
  'token_rejected',
];

export default function SigninPage() {
  const { t, i18n } = useTranslation('signin');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const errorCode = params.get('error');
  const providers = useQuery({
    queryKey: ['auth-providers'],
    queryFn: () => data(apiClient.GET('/auth/providers')),
  });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await data(apiClient.POST('/auth/local', { body: { email, password } }));
      // Whoever was signed in before (or nobody) is no longer who we are. Fetched again now, even
      // with no page showing it: a cached "nobody" would send the page asked for back here.
      await client.invalidateQueries({ queryKey: ['me'], refetchType: 'all' });
      void navigate(returnTo, { replace: true });
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 401
          ? t('wrongCredentials')
          : error instanceof ApiError && error.status === 429
            ? t('tooManyAttempts')
            : error instanceof Error
              ? error.message
              : String(error),
      );
    } finally {
      setBusy(false);
    }
  };

  const ssoHref = `/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
  const shownError =
    failure ??
    (errorCode
      ? t(KNOWN_ERRORS.includes(errorCode) ? `errors.${errorCode}` : 'errors.unknown', { code: errorCode })
      : null);

  return (
    <main id="main" className="signin">
      <div className="signin-card">
        <div className="signin-language" role="group" aria-label={t('common:language.label')}>
          {LANGUAGES.map((language) => (
            <button
              key={language}
              type="button"
              lang={language}
              aria-pressed={i18n.resolvedLanguage === language}
              onClick={() => setLanguage(language)}
            >
              {language.toUpperCase()}
            </button>
          ))}
        </div>
        <p className="signin-brand">
          <span aria-hidden="true">♥ </span>
          {t('common:appName')}
        </p>
        <h1>{t('title')}</h1>
        <p className="signin-lead">{t('lead')}</p>
        {shownError && (
          <p role="alert" id={errorId} className="error-note">
            {shownError}
          </p>
        )}
        {providers.isPending && <p role="status">{t('common:loading')}</p>}
        {providers.isError && <ErrorNote error={providers.error} />}
        {providers.data?.oidc && (
          <a className="button button-primary signin-sso" href={ssoHref}>
            {t('sso', { label: providers.data.oidc.label })}
          </a>
        )}
        {providers.data?.oidc && providers.data.local && <p className="signin-or">{t('or')}</p>}
        {providers.data?.local && (
          <form
            className="signin-form"
            onSubmit={(event) => void onSubmit(event)}
            aria-describedby={shownError ? errorId : undefined}
          >
            <label>
              {t('email')}
              <input
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </label>
            <label>
              {t('password')}
              <input
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </label>
            <button type="submit" className="button-primary" disabled={busy}>
              {busy ? t('signingIn') : t('submit')}
            </button>
          </form>
        )}
        {providers.data && !providers.data.local && !providers.data.oidc && <p>{t('noProvider')}</p>}
      </div>
    </main>
  );
}
