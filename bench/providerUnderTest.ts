import {
  CompletionController,
  type ControllerOptions,
  type ProvideRequest,
} from '../src/core/engine/completionController';
import type { CompletionOutcome } from '../src/core/engine/completionEngine';
import { HttpTransport, type TransportOptions } from '../src/core/transport/httpTransport';

/**
 * The code path under test: the per-editor CompletionController (gate, cache, typed-ahead,
 * debounce, one request in flight, speculative prefetch) over the real HttpTransport, exactly what
 * the VS Code provider calls on each keystroke.
 */
export interface ProviderUnderTest {
  readonly transport: HttpTransport;
  readonly controller: CompletionController;
  provide(request: ProvideRequest): Promise<CompletionOutcome>;
  close(): Promise<void>;
}

/**
 * Calls `onPost` with each request's headers at the moment the transport is asked to send it, so
 * the benchmark knows when a request left the controller (after its debounce) to the microsecond.
 */
export function observePosts(transport: HttpTransport, onPost: (headers: Record<string, string>) => void): void {
  const post = transport.post.bind(transport);
  transport.post = (url, body, headers, signal, overrides) => {
    onPost(headers);
    return post(url, body, headers, signal, overrides);
  };
}

export function controllerProvider(
  transportOptions: Partial<TransportOptions> = {},
  controllerOptions: ControllerOptions = {},
): ProviderUnderTest {
  const transport = new HttpTransport(transportOptions);
  const controller = new CompletionController(transport, controllerOptions);
  return {
    transport,
    controller,
    provide: (request) => controller.provide(request),
    close: async () => {
      await controller.whenIdle();
      controller.dispose();
      await transport.close();
    },
  };
}
