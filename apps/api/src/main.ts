import { DataDirInUseError } from '@app/database';
import { closeOnSignals, loadConfigOrExit } from '@app/config';
import { startDemoShop } from '@app/monitoring';
import { createApi } from './app';
import { FirstStart } from './embedded/first-start';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApi(config);
  closeOnSignals(app);
  // The demo shop the demo monitors watch: a second port, beside the API.
  const shop = config.demoShopPort === null ? null : await startDemoShop(config.demoShopPort, config.host);
  // Listening first: /health answers while a first start loads the demo data (seconds), and a
  // supervisor's probe does not restart a process that is only busy setting itself up.
  await app.listen(config.port, config.host);
  const { adminKey, admin, demoVerbatims } = await app.get(FirstStart).run(shop?.url ?? null);
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  // Straight to stdout, not through the logger: the logger scrubs keys, and this one must be seen once.
  const lines = [
    '',
    `LoveBoard is running at ${url} (${config.mode} mode)`,
    `  API docs: ${url}/api/docs   health: ${url}/health`,
    ...(demoVerbatims > 0 ? [`  demo data: ${demoVerbatims} verbatims loaded`] : []),
    ...(shop ? [`  demo shop (watched by the demo monitors): ${shop.url}`] : []),
    ...(adminKey
      ? [
          '  Admin API key (shown this once; keep it):',
          `  ${adminKey}`,
          `  try: curl -H "Authorization: Bearer ${adminKey}" ${url}/api/v1/verbatims`,
        ]
      : []),
    ...(admin ? [`  Sign in at ${url} as ${admin.email} / ${admin.password}`] : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  if (error instanceof DataDirInUseError) {
    process.stderr.write(`Cannot start: ${error.message}\n`);
    process.exit(75);
  }
  process.stderr.write(
    `Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
