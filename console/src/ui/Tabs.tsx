import { useRef, type KeyboardEvent } from 'react';

export interface Tab<K extends string> {
  key: K;
  label: string;
}

interface Props<K extends string> {
  /** The tablist's accessible name. */
  label: string;
  tabs: readonly Tab<K>[];
  selected: K;
  onSelect(key: K): void;
  /** Prefix of the tabs' and panels' ids (see tabIds). */
  idPrefix: string;
}

/** The ids that tie a tab to its panel: the panel is `aria-labelledby` its tab, the tab `aria-controls` its panel. */
export function tabIds(idPrefix: string, key: string): { tab: string; panel: string } {
  return { tab: `${idPrefix}-tab-${key}`, panel: `${idPrefix}-panel-${key}` };
}

/** The tab a key moves to from `index` of `count` (wrapping round), or null for a key tabs do not use. */
export function tabMove(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * A tablist as the WAI-ARIA tabs pattern has it: only the selected tab is in the Tab sequence (roving
 * tabindex), ArrowLeft / ArrowRight move between tabs (wrapping), Home / End to the first and last. A tab
 * is selected as it gets the focus (automatic activation: its panel is drawn at once). The caller draws
 * the selected tab's panel: role="tabpanel", with the ids from tabIds.
 */
export function Tabs<K extends string>({ label, tabs, selected, onSelect, idPrefix }: Props<K>) {
  const buttons = useRef(new Map<K, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.key === selected);
    const to = tabs[tabMove(event.key, index, tabs.length) ?? -1];
    if (!to) return;
    event.preventDefault();
    onSelect(to.key);
    buttons.current.get(to.key)?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const ids = tabIds(idPrefix, tab.key);
        const isSelected = tab.key === selected;
        return (
          <button
            key={tab.key}
            ref={(button) => {
              if (button) buttons.current.set(tab.key, button);
              else buttons.current.delete(tab.key);
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-selected={isSelected}
            aria-controls={isSelected ? ids.panel : undefined}
            tabIndex={isSelected ? 0 : -1}
            onClick={() => onSelect(tab.key)}
          >
            {tab.label}
          </button>
        );
      })}
    </div>
  );
}
