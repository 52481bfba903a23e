import type { ReactNode } from 'react';

interface Props {
  /** Marked disabled (aria-disabled): it stays focusable and a press does nothing. */
  disabled: boolean;
  /** The tooltip, also its accessible description (e.g. why it is disabled). */
  title?: string | undefined;
  onClick(): void;
  children: ReactNode;
}

/**
 * A button that is marked disabled with aria-disabled rather than `disabled`: a keyboard still reaches it,
 * a screen reader reads it (and its title, saying why), and a button that disables itself when pressed
 * (a pager's last page, a request under way) keeps the focus instead of dropping it to the top of the document.
 */
export function SoftDisabledButton({ disabled, title, onClick, children }: Props) {
  return (
    <button
      type="button"
      aria-disabled={disabled ? true : undefined}
      title={title}
      onClick={() => {
        if (!disabled) onClick();
      }}
    >
      {children}
    </button>
  );
}
