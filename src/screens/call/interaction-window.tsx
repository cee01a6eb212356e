import { useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import {
  CALL_RESULT_NAMES,
  CONTACT_INFO_TYPE_NAMES,
  DIALING_MODE_NAMES,
  deliveryMode,
  type Interaction,
} from '../../engine/domain.js';
import { contactHoursLabel } from '../../engine/callbacks.js';
import { answerPushPreview, dialPreview, doNotCall, endCall, setDisposition, updateCustomerRecord } from '../../engine/outbound.js';
import { formatPhone } from '../../engine/phone-numbers.js';
import { useDesk, useEngineState, useNow, useStoreQuery } from '../desk-context.js';
import type { CallingListRecord, Contact, GenesysCallback } from '../../engine/domain.js';
import type { Result } from '../../engine/result.js';
import { useKeymap } from '../keypress.js';
import { INTERACTION, OUTBOUND_CALL } from '../keymaps.js';
import { Toolbar } from '../components/toolbar.js';
import { useTheme } from '../theme.js';
import { KIND_LABEL, STATE_LABEL } from '../main/interactions-pane.js';
import { callActionRefusal } from '../../engine/call-actions.js';
import { RescheduleView } from './reschedule-view.js';
import { Confirm, PickList, RecordEditor } from './pickers.js';
import { GenesysCallbackForm, NewCallbackFromInteraction } from '../callback/genesys-callback-form.js';
import { WebCallbackWindow } from '../callback/web-callback-window.js';
import { useTerminalSize } from '../terminal-size.js';
import { clipWords, fitItems } from '../text-fit.js';

type Overlay = 'reschedule' | 'disposition' | 'record' | 'dnc' | 'newCallback' | 'confirmDone' | null;

/** The interaction window: contact and case data, and the call-action toolbar. */
export function InteractionWindow({ id, onBack, onFlash, height }: { id: string; onBack: () => void; onFlash: (m: string) => void; height: number }) {
  // Interactions on the desktop are live, in the engine's memory.
  const it = useEngineState((e) => e.state.interactions[id]);
  if (!it) return <Text>No interaction {id}</Text>;
  if (it.outbound) return <OutboundCallWindow it={it} onBack={onBack} onFlash={onFlash} height={height} />;
  if (it.web) return <WebCallbackWindow it={it} onBack={onBack} onFlash={onFlash} height={height} />;
  return <GenericWindow it={it} onBack={onBack} onFlash={onFlash} height={height} />;
}

/** Says what a command answered: its message, or why it was refused. */
async function flashResult(onFlash: (m: string) => void, p: Promise<Result<unknown>>, message: string): Promise<void> {
  const r = await p;
  onFlash(r.ok ? message : r.error);
}

function Elapsed({ since }: { since: number }) {
  const now = useNow(1000);
  const s = Math.max(0, Math.floor((now - since) / 1000));
  return (
    <Text>
      {String(Math.floor(s / 60)).padStart(2, '0')}:{String(s % 60).padStart(2, '0')}
    </Text>
  );
}

type CallWindowProps = { it: Interaction; onBack: () => void; onFlash: (m: string) => void; height: number };

/** The call's record and contact, read from the store before the window shows them. */
function OutboundCallWindow(props: CallWindowProps) {
  const ob = props.it.outbound!;
  const loaded = useStoreQuery(async (q) => ({ rec: await q.records.get(ob.recordId), contact: await q.contacts.get(props.it.contactId!) }), [ob.recordId, props.it.contactId]);
  if (!loaded) return <Text> </Text>;
  if (!loaded.rec || !loaded.contact) return <Text>Record {ob.recordId} of {props.it.id} is not in the calling list</Text>;
  return <OutboundCallView {...props} rec={loaded.rec} contact={loaded.contact} />;
}

function OutboundCallView({ it, onBack, onFlash, height, rec, contact }: CallWindowProps & { rec: CallingListRecord; contact: Contact }) {
  const theme = useTheme();
  const { engine, agentTz } = useDesk();
  const [overlay, setOverlay] = useState<Overlay>(null);
  const now = useNow(60_000);
  const ob = it.outbound!;
  const c = engine.state.campaigns[it.campaignId!];
  const run = (p: Promise<Result<unknown>>, message: string) => void flashResult(onFlash, p, message);
  const pushed = ob.origin === 'PushPreview' && (it.state === 'alerting' || it.state === 'preview');
  // What cannot be done now, and why: one table for the keys, the footer, help and the toolbar.
  const disabled = {
    accept: it.state !== 'alerting' ? (ob.origin === 'PushPreview' ? 'the record is accepted already' : 'nothing is alerting: accept is for pushed records (Push Preview)') : null,
    // The commands' own checks (engine/call-actions.ts): a key is offered exactly when its command would run.
    reject: callActionRefusal(engine, 'reject', it),
    decline: callActionRefusal(engine, 'decline', it),
    dial: callActionRefusal(engine, 'dial', it, rec),
    end: callActionRefusal(engine, 'end', it),
    reschedule: callActionRefusal(engine, 'reschedule', it),
    done: callActionRefusal(engine, 'done', it),
  };
  const answerPush = async (how: 'reject' | 'decline') => {
    if (!pushed) return onFlash('only a pushed record can be rejected or declined');
    const r = await answerPushPreview(engine, it.id, how);
    if (!r.ok) return onFlash(r.error);
    onFlash(r.value);
    onBack();
  };
  useKeymap(
    OUTBOUND_CALL,
    {
      accept: () => run(engine.acceptInteraction(it.id), 'accepted: read the record, then c to call'),
      reject: () => void answerPush('reject'),
      decline: () => void answerPush('decline'),
      dial: () => run(dialPreview(engine, it.id), `dialing ${formatPhone(rec.contact_info)}…`),
      end: () => run(endCall(engine, it.id), 'call ended; After Call Work until Done'),
      reschedule: () => setOverlay('reschedule'),
      done: () => {
        // A due callback closed without a call would be given up: ask first.
        if (it.state === 'preview' && (ob.origin === 'ScheduledCall' || ob.origin === 'CampaignCallback') && !ob.pendingReschedule) return setOverlay('confirmDone');
        void finish();
      },
      disposition: () => setOverlay('disposition'),
      record: () => setOverlay('record'),
      dnc: () => setOverlay('dnc'),
      newCallback: () => setOverlay('newCallback'),
      back: onBack,
    },
    { priority: 30, active: overlay === null, disabled, onDisabled: onFlash },
  );
  async function finish() {
    const r = await engine.markDone(it.id);
    if (!r.ok) return onFlash(r.error);
    onFlash(r.value);
    onBack();
  }
  const pending = ob.pendingReschedule;
  const fieldLine = Object.entries(contact.fields)
    .map(([k, v]) => `${k} ${v || '—'}`)
    .join(' · ');
  const caseItems = Object.entries(it.caseData).map(([k, v]) => `${k.replace(/^GSW_/, '')}=${v}`);
  const { columns } = useTerminalSize();
  // With a form open the call shrinks to one line (the form's keys replace the toolbar's), so
  // the form has the whole window, even at 80x24.
  if (overlay !== null)
    return (
      <Box flexDirection="column" height={height}>
        <Text bold wrap="truncate">
          {clipWords(`${c.name} · ${contact.firstName} ${contact.lastName} · ${formatPhone(rec.contact_info)} · ${STATE_LABEL[it.state]}`, columns - 12)}
          {it.state === 'connected' && ob.connectedAt ? (
            <>
              {' '}
              <Elapsed since={ob.connectedAt} />
            </>
          ) : null}
        </Text>
        {overlayView()}
      </Box>
    );
  return (
    <Box flexDirection="column" height={height}>
      <Box flexDirection="column" borderStyle="single" paddingX={1}>
        <Text bold wrap="truncate">
          {clipWords(`${c.name} · ${deliveryMode(c.dialingMode)} ${DIALING_MODE_NAMES[c.dialingMode]} · ${ob.origin} · record ${rec.record_id}`, columns - 4)}
        </Text>
        <Text wrap="truncate">
          <Text color={theme.fg(it.state === 'connected' ? 'success' : it.state === 'dialing' ? 'warning' : 'muted')}>{STATE_LABEL[it.state]}</Text>
          {it.state === 'connected' && ob.connectedAt ? (
            <>
              {' '}
              <Elapsed since={ob.connectedAt} />
            </>
          ) : null}
          {ob.callResult !== 28 && it.state !== 'dialing' ? ` · call result ${ob.callResult} ${CALL_RESULT_NAMES[ob.callResult]}` : ''}
        </Text>
        <Text wrap="truncate">
          <Text bold>
            {contact.firstName} {contact.lastName}
          </Text>{' '}
          {clipWords(`· local ${engine.zones.format(now, contact.tz, 'ccc HH:mm')} ${contact.tz} · you ${engine.zones.format(now, agentTz, 'HH:mm')}`, columns - 6 - `${contact.firstName} ${contact.lastName}`.length)}
        </Text>
        <Text wrap="truncate">
          {clipWords(`Number ${formatPhone(rec.contact_info)} · ${CONTACT_INFO_TYPE_NAMES[rec.contact_info_type]} · hours ${contactHoursLabel(engine, rec, now)} · attempt ${rec.attempt}`, columns - 4)}
        </Text>
        <Text wrap="truncate">{clipWords(`Fields ${fieldLine}`, columns - 4)}</Text>
        <Text wrap="truncate" color={theme.fg('muted')}>
          {fitItems(['Case', ...caseItems], columns - 4)}
        </Text>
        <Text wrap="truncate">
          Disposition {ob.disposition ? `${ob.disposition} ${c.dispositionCodes.find((d) => d.code === ob.disposition)?.label ?? ''}` : '—'} · Callback{' '}
          {pending ? (
            <Text color={theme.fg('success')}>
              ✓ Rescheduled: {pending.callbackType} {engine.zones.format(pending.at, pending.tz, 'ccc d LLL HH:mm')}
            </Text>
          ) : (
            '—'
          )}
        </Text>
      </Box>
      <Toolbar
        map={OUTBOUND_CALL}
        disabled={disabled}
        hidden={[...(it.state === 'alerting' ? [] : ['accept']), ...(pushed ? [] : ['reject', 'decline'])]}
        labels={pending ? { reschedule: 'Rescheduled ✓' } : {}}
        width={columns - 1}
      />
    </Box>
  );

  function overlayView() {
    return (
      <>
      {overlay === 'newCallback' ? (
        <NewCallbackFromInteraction
          interactionId={it.id}
          contactId={contact.id}
          height={height - 1}
          onClose={(m) => {
            setOverlay(null);
            if (m) onFlash(m);
          }}
        />
      ) : null}
      {overlay === 'reschedule' ? (
        <RescheduleView
          interaction={it}
          onClose={(m) => {
            setOverlay(null);
            onFlash(m);
          }}
        />
      ) : null}
      {overlay === 'disposition' ? (
        <PickList
          title={`Disposition code · ${c.name}`}
          items={c.dispositionCodes.map((d) => ({ key: d.code, label: `${d.code}  ${d.label}` }))}
          current={ob.disposition}
          onChoose={(d) => {
            setOverlay(null);
            run(setDisposition(engine, it.id, d.key), `disposition ${d.label}`);
          }}
          onCancel={() => setOverlay(null)}
        />
      ) : null}
      {overlay === 'record' ? (
        <RecordEditor
          fields={contact.fields}
          onSave={async (f) => {
            const r = await updateCustomerRecord(engine, contact.id, f);
            if (!r.ok) return r.error;
            setOverlay(null);
            onFlash('customer record saved');
            return null;
          }}
          onCancel={() => setOverlay(null)}
        />
      ) : null}
      {overlay === 'confirmDone' ? (
        <Confirm
          question={`Done without calling: the callback to ${contact.firstName} ${contact.lastName} is given up and the record goes back to the list (RecordReject). Continue?`}
          onYes={() => {
            setOverlay(null);
            void finish();
          }}
          onNo={() => setOverlay(null)}
        />
      ) : null}
      {overlay === 'dnc' ? (
        <Confirm
          question={`Put ${contact.firstName} ${contact.lastName} (every number) on the Do Not Call list?`}
          onYes={() => {
            setOverlay(null);
            run(doNotCall(engine, it.id), 'Do Not Call recorded for the whole chain');
          }}
          onNo={() => setOverlay(null)}
        />
      ) : null}
      </>
    );
  }
}

/** A chat, an e-mail, an SMS, a Genesys callback: its contact and booking, read before it shows. */
function GenericWindow(props: CallWindowProps) {
  const { it } = props;
  const callbackId = it.kind === 'callback' ? it.caseData.GMS_CALLBACK_ID : undefined;
  const loaded = useStoreQuery(
    async (q) => ({ contact: it.contactId ? await q.contacts.get(it.contactId) : undefined, cb: callbackId ? await q.gcallbacks.get(callbackId) : undefined }),
    [it.contactId, callbackId],
  );
  if (!loaded) return <Text> </Text>;
  return <GenericView {...props} contact={loaded.contact} cb={loaded.cb} callbackId={callbackId} />;
}

function GenericView({ it, onBack, onFlash, height, contact, cb, callbackId }: CallWindowProps & { contact: Contact | undefined; cb: GenesysCallback | undefined; callbackId: string | undefined }) {
  const { engine, agentTz } = useDesk();
  const { columns } = useTerminalSize();
  const [form, setForm] = useState<'new' | 'reschedule' | null>(null);
  const run = (p: Promise<Result<unknown>>, m: string) => void flashResult(onFlash, p, m);
  const disabled = {
    accept: it.state !== 'alerting' ? 'it is not alerting' : null,
    end: it.state !== 'connected' && it.state !== 'alerting' ? 'it is not connected' : null,
    done: it.state === 'connected' || it.state === 'alerting' ? 'end it first' : null,
    reschedule: !callbackId ? 'only a callback interaction can be rescheduled here' : null,
    newCallback: !contact ? 'this interaction has no contact' : null,
  };
  useKeymap(
    INTERACTION,
    {
      accept: () => run(engine.acceptInteraction(it.id), 'accepted'),
      end: () => run(engine.endInteraction(it.id), 'ended'),
      done: async () => {
        const r = await engine.markDone(it.id);
        if (!r.ok) return onFlash(r.error);
        onFlash('done');
        onBack();
      },
      reschedule: () => setForm('reschedule'),
      newCallback: () => setForm('new'),
      back: onBack,
    },
    { priority: 30, active: form === null, disabled, onDisabled: onFlash },
  );
  // With a form open the interaction shrinks to one line, so the form has the window.
  if (form && contact)
    return (
      <Box flexDirection="column">
        <Text bold wrap="truncate">
          {clipWords(`${KIND_LABEL[it.kind]} ${it.id} · ${contact.firstName} ${contact.lastName} · ${STATE_LABEL[it.state]}${cb ? ` · ${cb.id} ${cb.type}` : ''}`, columns)}
        </Text>
        <GenesysCallbackForm
          mode={form}
          contactId={contact.id}
          callbackId={form === 'reschedule' ? callbackId : undefined}
          originInteraction={it.id}
          width={columns}
          height={height - 1}
          onClose={(m) => {
            setForm(null);
            if (m) onFlash(m);
          }}
        />
      </Box>
    );
  return (
    <Box flexDirection="column">
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>
        {KIND_LABEL[it.kind]} {it.id} · {STATE_LABEL[it.state]}
        {cb ? ` · ${cb.id} ${cb.type} · ${cb.state}` : ''}
      </Text>
      <Text>
        {contact ? `${contact.firstName} ${contact.lastName} · ${contact.email} · ${contact.tz}` : 'unknown contact'}
      </Text>
      <Text>Subject: {it.subject}</Text>
      <Text>Arrived {engine.zones.format(it.createdAt, agentTz, 'ccc d LLL HH:mm')}</Text>
      {cb ? <Text>Customer number {formatPhone(cb.customerNumber)} · desired {engine.zones.format(cb.desiredTime, contact?.tz ?? agentTz, 'ccc d LLL HH:mm')}</Text> : null}
    </Box>
      <Toolbar map={INTERACTION} disabled={disabled} hidden={callbackId ? [] : ['reschedule']} width={columns - 1} />
    </Box>
  );
}
