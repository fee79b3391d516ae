import { forwarderRegions } from '../config/forwarder-regions';
import type { CordonConfig } from '../config/schema';
import type { OwnDeployment } from '../planning/protected-principals';

const cache = new WeakMap<CordonConfig, Map<string, OwnDeployment>>();

/** What Cordon deployed in the account it runs in: its own roles are derived from this. */
export function ownDeploymentOf(config: CordonConfig, accountId: string): OwnDeployment {
  let byAccount = cache.get(config);
  if (!byAccount) {
    byAccount = new Map();
    cache.set(config, byAccount);
  }
  let own = byAccount.get(accountId);
  if (!own) {
    own = {
      accountId,
      homeRegion: config.homeRegion,
      forwarderRegions: forwarderRegions(config),
      cdkBootstrapQualifier: config.cdkBootstrapQualifier,
    };
    byAccount.set(accountId, own);
  }
  return own;
}
