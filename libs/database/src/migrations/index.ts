import { Initial1795909980241 } from './1795909980241-Initial';
import { VerbatimAnalysis1795914490482 } from './1795914490482-VerbatimAnalysis';
import { CategoryCorrections1795915634933 } from './1795915634933-CategoryCorrections';
import { Irritants1795915984299 } from './1795915984299-Irritants';
import { TriageFeedback1795920673517 } from './1795920673517-TriageFeedback';
import { WeeklyBoard1795921325999 } from './1795921325999-WeeklyBoard';
import { DecisionsTickets1795921763420 } from './1795921763420-DecisionsTickets';
import { OutgoingWebhooks1795922137072 } from './1795922137072-OutgoingWebhooks';
import { Connectors1795923815947 } from './1795923815947-Connectors';
import { MondayDigest1795924363344 } from './1795924363344-MondayDigest';
import { Kpis1795925055932 } from './1795925055932-Kpis';
import { Monitors1795925622227 } from './1795925622227-Monitors';
import { PinnedQuotes1795926150106 } from './1795926150106-PinnedQuotes';
import { LinkProposals1795926885511 } from './1795926885511-LinkProposals';
import { SignIn1795927600000 } from './1795927600000-SignIn';
import { MondayLoop1796617881023 } from './1796617881023-MondayLoop';
import { IrritantAlerts1796618706545 } from './1796618706545-IrritantAlerts';
import { ChatNotifications1796619547718 } from './1796619547718-ChatNotifications';
import { SentimentLearning1796620483053 } from './1796620483053-SentimentLearning';
import { Trackers1796620915028 } from './1796620915028-Trackers';
import { TaxonomyCategories1796623526720 } from './1796623526720-TaxonomyCategories';
import { CrossCategoryIrritants1796630000000 } from './1796630000000-CrossCategoryIrritants';
import { IrritantTitles1796633492287 } from './1796633492287-IrritantTitles';
import { PersonalDataHardening1796640000000 } from './1796640000000-PersonalDataHardening';
import { ApiKeyExpiry1796640100000 } from './1796640100000-ApiKeyExpiry';
import { SearchIndexTrigger1796650000000 } from './1796650000000-SearchIndexTrigger';

/** Every migration, oldest first. `npm run migration:generate` writes a new file: add it here. */
export const MIGRATIONS = [
  Initial1795909980241,
  VerbatimAnalysis1795914490482,
  CategoryCorrections1795915634933,
  Irritants1795915984299,
  TriageFeedback1795920673517,
  WeeklyBoard1795921325999,
  DecisionsTickets1795921763420,
  OutgoingWebhooks1795922137072,
  Connectors1795923815947,
  MondayDigest1795924363344,
  Kpis1795925055932,
  Monitors1795925622227,
  PinnedQuotes1795926150106,
  LinkProposals1795926885511,
  SignIn1795927600000,
  MondayLoop1796617881023,
  IrritantAlerts1796618706545,
  ChatNotifications1796619547718,
  SentimentLearning1796620483053,
  Trackers1796620915028,
  TaxonomyCategories1796623526720,
  CrossCategoryIrritants1796630000000,
  IrritantTitles1796633492287,
  PersonalDataHardening1796640000000,
  ApiKeyExpiry1796640100000,
  SearchIndexTrigger1796650000000,
];
