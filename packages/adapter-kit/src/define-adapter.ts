import type { Party } from '@polku/contracts';
import type { Setting } from '@polku/service-kit';
import type { CallbackHandling } from './callback';
import type { Delivery, DeliveryContext, DeliveryReceipt } from './delivery';

/** Settings an adapter reads, e.g. `{ POLKU_EDUCATION_SCHOOL_URL: settings.url(...) }`. */
export type SettingsSpec = Record<string, Setting<unknown>>;

/** The values of a settings spec after `loadConfig`. */
export type ParsedSettings<S extends SettingsSpec> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/** A running adapter, bound to its configuration: what the host calls. */
export interface SectorAdapter {
  /** `<sector>.<system>`, e.g. `education.school`. */
  readonly id: string;
  /** Whether this adapter's system is where deliveries to `party` go. */
  serves(party: Party): boolean;
  /**
   * Sends one delivery. Resolves when the system has taken it.
   * @throws RetryableDeliveryError when a later attempt may succeed
   * @throws RejectedDeliveryError when the system refused it
   */
  deliver(delivery: Delivery, context: DeliveryContext): Promise<DeliveryReceipt>;
  readonly callbacks: CallbackHandling;
}

/** What an adapter package writes; `defineAdapter` turns it into an {@link AdapterModule}. */
export interface AdapterDefinition<S extends SettingsSpec, C, Body> {
  id: string;
  /** Merged into the host's one configuration, so every problem is reported at start. */
  settings: S;
  configure(values: ParsedSettings<S>): C;
  serves(party: Party, config: C): boolean;
  deliver(delivery: Delivery, context: DeliveryContext & { config: C }): Promise<DeliveryReceipt>;
  callbacks(config: C): CallbackHandling<Body>;
}

/** An adapter as the host's registry lists it: settings to load, then `bind` to run. */
export interface AdapterModule {
  readonly id: string;
  readonly settings: SettingsSpec;
  /** @param values the host's loaded configuration (it holds this adapter's settings) */
  bind(values: Readonly<Record<string, unknown>>): SectorAdapter;
}

export function defineAdapter<S extends SettingsSpec, C, Body>(definition: AdapterDefinition<S, C, Body>): AdapterModule {
  return {
    id: definition.id,
    settings: definition.settings,
    bind(values) {
      // loadConfig has parsed every key of `settings` into `values`, so the narrowing holds.
      const config = definition.configure(values as ParsedSettings<S>);
      const callbacks = definition.callbacks(config);
      return {
        id: definition.id,
        serves: (party) => definition.serves(party, config),
        deliver: (delivery, context) => definition.deliver(delivery, { ...context, config }),
        // The host validates the body against `bodySchema` before `toAction` sees it.
        callbacks: { ...callbacks, toAction: (body) => callbacks.toAction(body as Body) },
      };
    },
  };
}
