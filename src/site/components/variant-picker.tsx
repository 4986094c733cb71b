import React, { useEffect, useId } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { useSiteSettings, useVariant } from '../client/use-variant.ts';
import { withoutPairing } from '../client/read-pairing.ts';
import { readVariant, writeVariant } from '../client/variant-store.ts';

/**
 * The variant picker (accessible name "Variant"), synced site-wide. The URL's `?variant=` wins, then
 * local storage, then the book's default; a choice is written back to both.
 */
export default function VariantPicker() {
  const { variants } = useSiteSettings();
  const variant = useVariant();
  const history = useHistory();
  const location = useLocation();
  const id = useId();

  const setUrl = (value: string) => {
    const params = new URLSearchParams(location.search);
    if (params.get('variant') === value) return;
    params.set('variant', value);
    // The router still holds the address it was loaded with: the pairing left the bar and must not come back.
    history.replace({ ...location, search: `?${params.toString()}`, hash: withoutPairing(location.hash) });
  };

  useEffect(() => {
    const fromUrl = new URLSearchParams(location.search).get('variant');
    if (fromUrl && variants.includes(fromUrl)) writeVariant(fromUrl);
    // During hydration `variant` is still the server's default: read the real choice from <html>.
    else setUrl(readVariant() ?? variant);
    // Only when the address changes (links with ?variant=, back/forward).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.search]);

  return (
    <div className="bookrun-picker">
      <label htmlFor={id}>Variant</label>
      <select
        id={id}
        value={variant}
        onChange={(event) => {
          writeVariant(event.target.value);
          setUrl(event.target.value);
        }}
      >
        {variants.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </div>
  );
}
