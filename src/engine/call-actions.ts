import { CallResult, type CallingListRecord, type Interaction } from './domain.js';
import type { Engine } from './engine.js';
import { contactHoursLabel, nextContactable, withinContactHours } from './callbacks.js';

/**
 * The call actions of an outbound call and when each may run: the one check the commands make
 * (outbound.ts) and the call window's keys show as their disabled reason, as lazygit's bindings
 * take theirs from the command's own `require`. tests/engine/call-actions.test.ts drives random
 * sequences of actions and checks each command accepts exactly when its check says it may.
 */
export type CallAction = 'reject' | 'decline' | 'dial' | 'end' | 'reschedule' | 'done';

/** How a call state reads in a refusal ("the call is dialing"). */
const STATE_WORDS: Record<Interaction['state'], string> = {
  waiting: 'waiting',
  alerting: 'alerting',
  preview: 'a preview',
  dialing: 'dialing',
  connected: 'connected',
  ended: 'ended',
  done: 'done',
};

/**
 * Why `action` cannot run on the outbound call `it` now, or null when it can. `rec` is the call's
 * record: dialling also needs its number inside its contact hours.
 */
export function callActionRefusal(engine: Engine, action: CallAction, it: Interaction, rec?: CallingListRecord): string | null {
  const ob = it.outbound;
  if (!ob) return `${it.id} is not an outbound campaign call`;
  const onCall = it.state === 'dialing' || it.state === 'connected';
  switch (action) {
    case 'reject':
    case 'decline':
      if (ob.origin !== 'PushPreview') return `only a pushed record (Push Preview) can be ${action === 'reject' ? 'rejected' : 'declined'}`;
      return it.state === 'alerting' || it.state === 'preview' ? null : `the call is ${STATE_WORDS[it.state]}`;
    case 'dial':
      if (it.state !== 'preview') return `the call is ${STATE_WORDS[it.state]}, not a preview`;
      if (rec && !withinContactHours(engine, rec, engine.now)) {
        return `outside the contact hours of ${rec.contact_info} (${contactHoursLabel(engine, rec, engine.now)}); next allowed ${engine.zones.format(nextContactable(engine, rec, engine.now), rec.tz, 'ccc d LLL HH:mm')}`;
      }
      return null;
    case 'end':
      return onCall ? null : 'there is no call to end';
    case 'reschedule':
      return ob.callResult === CallResult.DoNotCall ? 'the contact is on the Do Not Call list' : null;
    case 'done':
      return onCall ? 'End Call first' : null;
  }
}
