import { CompletionController, type ControllerOptions } from '../../../src/core/engine/completionController';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';

/** A controller talking to a scripted server through a real transport: what the controller tests run against. */
export interface ScriptedController {
  server: ScriptedServer;
  transport: HttpTransport;
  controller: CompletionController;
}

/** Starts a scripted server, a transport and a controller over it (one set per test). */
export async function startScriptedController(options?: ControllerOptions): Promise<ScriptedController> {
  const server = await startScriptedServer();
  const transport = new HttpTransport();
  return { server, transport, controller: new CompletionController(transport, options) };
}

/** Closes what startScriptedController opened, the controller first so no request outlives the server. */
export async function closeScriptedController({ server, transport, controller }: ScriptedController): Promise<void> {
  controller.dispose();
  await transport.close();
  await server.close();
}

/** Settings that send at once to the scripted server: a `custom` provider, no debounce, speculation or open files. */
export function scriptedSettings(baseUrl: string, extra: Partial<InfillSettings> = {}): InfillSettings {
  return {
    ...DEFAULT_SETTINGS,
    provider: 'custom',
    baseUrl,
    model: 'test-model',
    debounceMs: 0,
    speculative: 'off',
    contextOpenFiles: false,
    ...extra,
  };
}

/** Waits until `condition` holds (the controller's work finishes on timers and sockets, not on our await). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
}
