import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './env';
import { SecretBox, localSecret } from './secrets';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Makes the config validated at boot injectable everywhere as `@Inject(APP_CONFIG)`, and the
 * installation's SecretBox.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: SecretBox,
          useFactory: () =>
            new SecretBox(config.secretsKey ?? (() => localSecret(config.dataDir, 'secrets-key'))),
        },
      ],
      exports: [APP_CONFIG, SecretBox],
    };
  }
}
