import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ApiConfig } from '@civic/config';

/** Makes the validated configuration injectable as `ApiConfig` everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: ApiConfig, useValue: config }], exports: [ApiConfig] };
  }
}
