export { ApiKeyService } from './api-key.service';
export type { Principal, CreatedApiKey } from './api-key.service';
export { AuthModule } from './auth.module';
