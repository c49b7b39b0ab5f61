import { type FormEvent, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type Schemas, apiClient, data } from '../../api';
import { type components, createTrackerBodyKindValues } from '../../api/schema';
import { ErrorNote, Field } from '../../components/ui';

const KINDS = createTrackerBodyKindValues;
type Settings = components['schemas']['TrackerSettingsBody'];

/** Where a tracker is, in a word: the Jira project, the GitHub repository, the Linear team. */
const whereOf = ({ kind, settings }: Schemas['TrackerView']) => {
  // Settings are the tracker's own (strings); anything else reads as nothing.
  const setting = (name: keyof Settings) => {
    const value = settings[name];
    return typeof value === 'string' ? value : '';
  };
  return kind === 'jira'
    ? `${setting('baseUrl')} · ${setting('projectKey')}`
    : kind === 'github'
      ? `${setting('owner')}/${setting('repo')}`
      : setting('teamId');
};

/** Jira, GitHub and Linear (admins): connected, listed without their secrets, disconnected. */
export function Trackers() {
  const { t } = useTranslation('integrations');
  const queryClient = useQueryClient();
  const trackers = useQuery({
    queryKey: ['trackers'],
    queryFn: () => data(apiClient.GET('/api/v1/trackers')),
  });
  const remove = useMutation({
    mutationFn: (id: string) => data(apiClient.DELETE('/api/v1/trackers/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['trackers'] }),
  });
  return (
    <section className="panel" aria-labelledby="trackers-title">
      <h2 id="trackers-title">{t('trackers.title')}</h2>
      {trackers.isError && <ErrorNote error={trackers.error} />}
      {trackers.data && trackers.data.length === 0 && <p className="subtle">{t('trackers.none')}</p>}
      {trackers.data && trackers.data.length > 0 && (
        <table className="integrations-table">
          <thead>
            <tr>
              <th scope="col">{t('trackers.name')}</th>
              <th scope="col">{t('trackers.kind')}</th>
              <th scope="col">{t('trackers.where')}</th>
              <th scope="col">{t('trackers.statusBack')}</th>
              <th scope="col">
                <span className="sr-only">{t('chat.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {trackers.data.map((tracker) => (
              <tr key={tracker.id} className={tracker.active ? undefined : 'integration-off'}>
                <td>{tracker.name}</td>
                <td>{t(`trackers.kinds.${tracker.kind}`)}</td>
                <td>
                  <code>{whereOf(tracker)}</code>
                </td>
                <td>
                  {tracker.signedWebhooks && (
                    <span>
                      {t('trackers.webhook')} <code>{tracker.webhookPath}</code>
                    </span>
                  )}{' '}
                  {tracker.poll && <span>{t('trackers.polled')}</span>}
                </td>
                <td>
                  {tracker.active ? (
                    <button type="button" className="button-quiet" onClick={() => remove.mutate(tracker.id)}>
                      {t('trackers.remove')}
                    </button>
                  ) : (
                    <span className="subtle">{t('chat.off')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {remove.isError && <ErrorNote error={remove.error} />}
      <AddTracker />
    </section>
  );
}

function AddTracker() {
  const { t } = useTranslation('integrations');
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('jira');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const [poll, setPoll] = useState(false);
  const [settings, setSettings] = useState<Record<string, string>>({ deployment: 'cloud' });
  const set = (key: string) => (event: { target: { value: string } }) =>
    setSettings({ ...settings, [key]: event.target.value });
  const add = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/trackers', {
          body: {
            kind,
            name,
            token,
            poll,
            ...(secret ? { webhookSecret: secret } : {}),
            // Left empty, a setting is not sent: the API checks the ones given.
            settings: Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== '')),
          },
        }),
      ),
    onSuccess: () => {
      setToken('');
      setSecret('');
      void queryClient.invalidateQueries({ queryKey: ['trackers'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="integrations-form" onSubmit={submit} aria-labelledby="tracker-add-title">
      <h3 id="tracker-add-title">{t('trackers.add')}</h3>
      <Field label={t('trackers.kind')}>
        <select value={kind} onChange={(event) => setKind(event.target.value as (typeof KINDS)[number])}>
          {KINDS.map((one) => (
            <option key={one} value={one}>
              {t(`trackers.kinds.${one}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('trackers.name')}>
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
      </Field>
      {kind === 'jira' && (
        <>
          <Field label="URL">
            <input
              value={settings.baseUrl ?? ''}
              onChange={set('baseUrl')}
              placeholder="https://acme.atlassian.net"
            />
          </Field>
          <Field label={t('trackers.deployment')}>
            <select value={settings.deployment ?? 'cloud'} onChange={set('deployment')}>
              <option value="cloud">Cloud</option>
              <option value="datacenter">Data Center</option>
            </select>
          </Field>
          {settings.deployment !== 'datacenter' && (
            <Field label={t('trackers.email')}>
              <input value={settings.email ?? ''} onChange={set('email')} />
            </Field>
          )}
          <Field label={t('trackers.project')}>
            <input value={settings.projectKey ?? ''} onChange={set('projectKey')} placeholder="PAY" />
          </Field>
        </>
      )}
      {kind === 'github' && (
        <>
          <Field label={t('trackers.owner')}>
            <input value={settings.owner ?? ''} onChange={set('owner')} />
          </Field>
          <Field label={t('trackers.repo')}>
            <input value={settings.repo ?? ''} onChange={set('repo')} />
          </Field>
        </>
      )}
      {kind === 'linear' && (
        <Field label={t('trackers.team')}>
          <input value={settings.teamId ?? ''} onChange={set('teamId')} />
        </Field>
      )}
      <Field label={t('trackers.token')}>
        <input
          type="password"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          required
          autoComplete="off"
        />
      </Field>
      <Field label={t('trackers.secret')}>
        <input
          type="password"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          autoComplete="off"
        />
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={poll} onChange={(event) => setPoll(event.target.checked)} />{' '}
        {t('trackers.poll')}
      </label>
      <button type="submit" disabled={add.isPending}>
        {t('trackers.save')}
      </button>
      {add.isError && <ErrorNote error={add.error} />}
    </form>
  );
}
