import { ApiConfig, ConfigError, loadConfig } from '@civic/config';
import { createApp } from './app.factory.js';

async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(ApiConfig);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  app.getHttpAdapter().getInstance().log.info({ port: config.PORT }, 'api listening');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
