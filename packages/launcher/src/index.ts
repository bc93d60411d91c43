export { launchBackbone, SERVICE_NAMES, type Backbone, type BackboneOptions, type ServiceName } from './backbone';
export { startServiceProcess, type ServiceProcess, type ServiceSpec } from './service-process';
export { freshSecrets, persistentSecrets, type BackboneSecrets } from './secrets';
export { issueApiKeys, type KeyRequest } from './api-keys';
