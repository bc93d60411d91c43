export { startAdapterHost, type HostDeps, type RunningHost } from './host';
export { buildApp, type AppDeps } from './app';
export { loadHostConfig, hostSettings, type HostConfig } from './config';
export { ADAPTERS } from './adapters';
export { DELIVERY_QUEUE } from './deliveries/delivery-queue';
export { reconcileDeliveries, type ReconcileOptions, type Reconciled } from './deliveries/reconcile-deliveries';
export { referralProjection, PROJECTION_TABLES, type ReferralProjectionDeps } from './referral-projection';
