import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiClient, data } from '../../api';
import { createChatChannelBodyKindValues, createChatChannelBodyTopicsValues } from '../../api/schema';
import { useAuth } from '../../components/auth';
import { ErrorNote, Field } from '../../components/ui';
import { Trackers } from './Trackers';
import './integrations.css';

const KINDS = createChatChannelBodyKindValues;
const TOPICS = createChatChannelBodyTopicsValues;
type Topic = (typeof TOPICS)[number];

/** Where people already work: chat channels (admins). Secrets are sent once and never shown again. */
export default function IntegrationsPage() {
  const { t } = useTranslation('integrations');
  const { me } = useAuth();
  const id = useId();
  if (me.role !== 'admin') return <p className="note">{t('adminsOnly')}</p>;
  return (
    <section className="integrations" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('title')}</h1>
      <p>{t('intro')}</p>
      <ChatChannels />
      <Trackers />
    </section>
  );
}

function ChatChannels() {
  const { t } = useTranslation('integrations');
  const queryClient = useQueryClient();
  const channels = useQuery({
    queryKey: ['chat-channels'],
    queryFn: () => data(apiClient.GET('/api/v1/chat-channels')),
  });
  const remove = useMutation({
    mutationFn: (channelId: string) =>
      data(apiClient.DELETE('/api/v1/chat-channels/{id}', { params: { path: { id: channelId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['chat-channels'] }),
  });
  const test = useMutation({
    mutationFn: (channelId: string) =>
      data(apiClient.POST('/api/v1/chat-channels/{id}/test', { params: { path: { id: channelId } } })),
  });
  return (
    <section className="panel" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('chat.title')}</h2>
      {channels.isError && <ErrorNote error={channels.error} />}
      {channels.data && channels.data.length === 0 && <p className="subtle">{t('chat.none')}</p>}
      {channels.data && channels.data.length > 0 && (
        <table className="integrations-table">
          <thead>
            <tr>
              <th scope="col">{t('chat.name')}</th>
              <th scope="col">{t('chat.kind')}</th>
              <th scope="col">{t('chat.lang')}</th>
              <th scope="col">{t('chat.topics')}</th>
              <th scope="col">{t('chat.target')}</th>
              <th scope="col">
                <span className="sr-only">{t('chat.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.data.map((channel) => (
              <tr key={channel.id} className={channel.active ? undefined : 'integration-off'}>
                <td>{channel.name}</td>
                <td>{t(`chat.kinds.${channel.kind}`)}</td>
                <td>{channel.lang.toUpperCase()}</td>
                <td>{channel.topics.map((topic) => t(`chat.topicNames.${topic}`)).join(', ')}</td>
                <td>
                  <code>{channel.target}</code>
                </td>
                <td>
                  {channel.active ? (
                    <>
                      <button type="button" className="button-quiet" onClick={() => test.mutate(channel.id)}>
                        {t('chat.test')}
                      </button>{' '}
                      <button
                        type="button"
                        className="button-quiet"
                        onClick={() => remove.mutate(channel.id)}
                      >
                        {t('chat.remove')}
                      </button>
                    </>
                  ) : (
                    <span className="subtle">{t('chat.off')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {test.isSuccess && <p role="status">{t('chat.testSent')}</p>}
      {(test.isError || remove.isError) && <ErrorNote error={test.error ?? remove.error} />}
      <AddChatChannel />
    </section>
  );
}

function AddChatChannel() {
  const { t } = useTranslation('integrations');
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('slack_webhook');
  const [name, setName] = useState('');
  const [lang, setLang] = useState<'fr' | 'en'>('fr');
  const [topics, setTopics] = useState<Topic[]>([...TOPICS]);
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [channel, setChannel] = useState('');
  const add = useMutation({
    mutationFn: () =>
      data(
        apiClient.POST('/api/v1/chat-channels', {
          body: { kind, name, lang, topics, ...(kind === 'slack_bot' ? { token, channel } : { url }) },
        }),
      ),
    onSuccess: () => {
      setUrl('');
      setToken('');
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['chat-channels'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="integrations-form" onSubmit={submit} aria-labelledby="chat-add-title">
      <h3 id="chat-add-title">{t('chat.add')}</h3>
      <Field label={t('chat.kind')}>
        <select value={kind} onChange={(event) => setKind(event.target.value as (typeof KINDS)[number])}>
          {KINDS.map((one) => (
            <option key={one} value={one}>
              {t(`chat.kinds.${one}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('chat.name')}>
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={120} />
      </Field>
      <Field label={t('chat.lang')}>
        <select value={lang} onChange={(event) => setLang(event.target.value as 'fr' | 'en')}>
          <option value="fr">{t('common:languageNames.fr')}</option>
          <option value="en">{t('common:languageNames.en')}</option>
        </select>
      </Field>
      {kind === 'slack_bot' ? (
        <>
          <Field label={t('chat.token')}>
            <input
              type="password"
              value={token}
              onChange={(event) => setToken(event.target.value)}
              required
              autoComplete="off"
            />
          </Field>
          <Field label={t('chat.channel')}>
            <input
              value={channel}
              onChange={(event) => setChannel(event.target.value)}
              required
              placeholder="C0123456789"
            />
          </Field>
        </>
      ) : (
        <Field label={t('chat.url')}>
          <input
            type="password"
            value={url}
            onChange={(event) => setUrl(event.target.value)}
            required
            autoComplete="off"
          />
        </Field>
      )}
      <fieldset>
        <legend>{t('chat.topics')}</legend>
        {TOPICS.map((topic) => (
          <label key={topic} className="checkbox">
            <input
              type="checkbox"
              checked={topics.includes(topic)}
              onChange={(event) =>
                setTopics(event.target.checked ? [...topics, topic] : topics.filter((one) => one !== topic))
              }
            />{' '}
            {t(`chat.topicNames.${topic}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={add.isPending || topics.length === 0}>
        {t('chat.save')}
      </button>
      {add.isError && <ErrorNote error={add.error} />}
    </form>
  );
}
