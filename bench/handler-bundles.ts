// Prints each Lambda function's bundle: size, modules bundled, and how many of them are provider
// adapter modules (a step that never calls a provider should bundle none).
import { bundleHandler, handlerNames, providerAdapterModules } from '../test/support/handler-bundle';

const adapters = await providerAdapterModules();
console.log(`provider adapter modules: ${adapters.size}`);
console.log('handler                    KiB  modules  repo  adapters');
for (const name of handlerNames()) {
  const b = await bundleHandler(name);
  const repo = b.modules.filter((m) => !m.startsWith('node_modules/')).length;
  const ofAdapters = b.modules.filter((m) => adapters.has(m)).length;
  console.log(
    `${name.padEnd(25)} ${(b.bytes / 1024).toFixed(0).padStart(5)} ${String(b.modules.length).padStart(8)} ${String(repo).padStart(5)} ${String(ofAdapters).padStart(9)}`,
  );
}
