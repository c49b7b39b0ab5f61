import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './env';
import { Clock } from './clock';
import { APP_CONFIG_TOKEN, PublicUrl } from './public-url';
import { SecretBox, localSecret } from './secrets';
import { PersonalKeys } from './personal-keys';

export const APP_CONFIG = APP_CONFIG_TOKEN;

/**
 * Makes the config validated at boot injectable everywhere as `@Inject(APP_CONFIG)`, the
 * installation's SecretBox, the product's Clock (one per application), its PublicUrl and the keyed
 * hashes of personal identifiers (PersonalKeys).
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useFactory: () => new Clock(config.clockStart) },
        PublicUrl,
        PersonalKeys,
        {
          provide: SecretBox,
          useFactory: () =>
            new SecretBox(config.secretsKey ?? (() => localSecret(config.dataDir, 'secrets-key'))),
        },
      ],
      exports: [APP_CONFIG, SecretBox, Clock, PublicUrl, PersonalKeys],
    };
  }
}
