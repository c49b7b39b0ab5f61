export { NotificationsModule } from './notifications.module';
export { ChatService, CHAT_KINDS, CHAT_TOPICS } from './chat.service';
export type { ChatChannelInput } from './chat.service';
export { plainText, renderMessage, slackEscape, slackMessage, teamsMessage } from './render';
export type { ChatLang, ChatText } from './render';
export { SLACK_EVENT_TYPE } from './senders';
