export { launchBackbone, SERVICE_NAMES, type Backbone, type BackboneOptions, type ResidentEService, type ServiceName } from './backbone';
export { startServiceProcess, type ServiceProcess, type ServiceSpec, type StartOptions } from './service-process';
export { loadDemoPorts, parseInstances, PORT_SETTINGS, type ScalableService } from './config';
export { PortInUse, LauncherRunning, type BusyPort } from './errors';
export { stopOnSignals } from './stop-on-signals';
export { sayOnStderr, type Say } from './terminate';
export { freshSecrets, persistentSecrets, DISCLOSURE_SIGNERS, type BackboneSecrets, type DisclosureSigner } from './secrets';
export { issueApiKeys, type KeyRequest } from './api-keys';
