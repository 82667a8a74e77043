/**
 * The three Reflect metadata calls that tsyringe (inside @peculiar/x509) makes, and refuses to
 * load without. TypeScript decorator metadata is all it reads; no polyfill package is installed,
 * so this keeps them in a WeakMap per target, following the prototype chain as the proposal does.
 */
const metadata = new WeakMap<object, Map<unknown, unknown>>();

function getOwnMetadata(key: unknown, target: object): unknown {
  return metadata.get(target)?.get(key);
}

function getMetadata(key: unknown, target: object): unknown {
  for (let at: object | null = target; at; at = Object.getPrototypeOf(at) as object | null) {
    const own = metadata.get(at);
    if (own?.has(key)) return own.get(key);
  }
  return undefined;
}

function defineMetadata(key: unknown, value: unknown, target: object): void {
  const own = metadata.get(target) ?? new Map<unknown, unknown>();
  own.set(key, value);
  metadata.set(target, own);
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') Object.assign(reflect, { getMetadata, getOwnMetadata, defineMetadata });
