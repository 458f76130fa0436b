/**
 * An {@link HsmSpawner} that runs the HSM endpoint on the calling thread behind a MessageChannel:
 * the same comlink protocol and structured cloning as a real worker, without a thread. For fast
 * tests of cluster logic and for embedding where workers are unavailable. "Terminating" closes
 * the channel and drops the endpoint, so the HSM's in-memory state is gone as with a real worker.
 * @module
 */
import * as Comlink from 'comlink';
import { createHsmEndpoint, type StorageFactory } from './endpoint.ts';
import type { HsmSpawner, SpawnedHsm } from './hsm-link.ts';
import type { HsmEndpoint } from './protocol.ts';

export function inProcessSpawner(makeStorage: StorageFactory): HsmSpawner {
  return (): SpawnedHsm => {
    const channel = new MessageChannel();
    Comlink.expose(createHsmEndpoint({ makeStorage }), channel.port1);
    const endpoint = Comlink.wrap<HsmEndpoint>(channel.port2);
    return {
      endpoint,
      onExit() {},
      terminate() {
        channel.port1.close();
        channel.port2.close();
      },
    };
  };
}
