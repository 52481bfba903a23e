import type { ReactNode } from 'react';
import type { ExecutionAction, RunStateFragment } from '../generated/graphql';
import { SoftDisabledButton } from '../ui/SoftDisabledButton';

type Offer = RunStateFragment['availableActions'][number];

/**
 * What the API says of an action on this run (`availableActions`): undefined when the viewer's
 * permissions do not allow it (FORBIDDEN: not offered at all), else the offer, allowed or not.
 */
export function offerOf(run: RunStateFragment, action: ExecutionAction): Offer | undefined {
  const offer = run.availableActions.find((candidate) => candidate.action === action);
  return offer && offer.code !== 'FORBIDDEN' ? offer : undefined;
}

interface Props {
  offer: Offer;
  /** A request of it is under way. */
  busy?: boolean;
  onClick(): void;
  children: ReactNode;
}

/**
 * A button for an action the run's state may refuse: then it stays in place, marked disabled with the
 * server's reason as its tooltip and accessible description (aria-disabled, not disabled, so that a
 * keyboard still reaches it and a screen reader reads why).
 */
export function ActionButton({ offer, busy = false, onClick, children }: Props) {
  const refused = !offer.allowed;
  return (
    <SoftDisabledButton disabled={refused || busy} title={refused ? (offer.reason ?? undefined) : undefined} onClick={onClick}>
      {children}
    </SoftDisabledButton>
  );
}
