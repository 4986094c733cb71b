import { VARIANT_STORAGE_KEY } from '../to-variant-css.ts';

const listeners = new Set<() => void>();

/** The chosen variant: the <html> data attribute the pre-paint script set (null on the server). */
export function readVariant(): string | null {
  if (typeof document === 'undefined') return null;
  return document.documentElement.getAttribute('data-bookrun-variant');
}

/** Chooses a variant site-wide: <html> attribute (CSS hides other variants' steps) and local storage. */
export function writeVariant(variant: string): void {
  // Stored even when <html> already shows it: the pre-paint script applies a `?variant=` without storing it.
  try {
    localStorage.setItem(VARIANT_STORAGE_KEY, variant);
  } catch {
    // Storage may be disabled (private mode): the choice then lasts for this page only.
  }
  if (readVariant() === variant) return;
  document.documentElement.setAttribute('data-bookrun-variant', variant);
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever the variant changes; returns the unsubscribe function. */
export function subscribeVariant(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent): void => {
    if (event.key === VARIANT_STORAGE_KEY && event.newValue) writeVariant(event.newValue);
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}
