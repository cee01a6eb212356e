import { useCallback, useRef, useState } from 'react';
import { Box } from 'ink';
import { Text } from '../components/text.js';
import { useDesk, useEngineState, useStoreQuery } from '../desk-context.js';
import { useKeySeqRef, useKeymap } from '../keypress.js';
import { ACTION_MENU, CARD_VIEW, MAIN, MESSAGE_VIEW } from '../keymaps.js';
import { useTheme } from '../theme.js';
import { StatusBar } from '../components/status-bar.js';
import { ChannelsPane } from './channels-pane.js';
import { CampaignsPane } from './campaigns-pane.js';
import { MessagesPane } from './messages-pane.js';
import { TeamCommunicator } from './team-communicator.js';
import { InteractionsPane } from './interactions-pane.js';
import { ContactCard } from './contact-card.js';
import { useViews } from '../lazy-views.js';
import { LogoutNotice } from '../components/logout-countdown.js';
import { Confirm } from '../call/pickers.js';
import { SelectList } from '../components/select-list.js';
import { useSelectList } from '../components/use-select-list.js';
import { openInteractionsAtLogout, requestLogout } from '../../engine/logout.js';
import { KIND_LABEL } from './interactions-pane.js';
import { MyCallbacksView } from './my-callbacks.js';
import { MyStatisticsView } from './my-statistics.js';
import { AckStore, NoticeLine } from './notice-line.js';

export type PaneId = 'channels' | 'campaigns' | 'messages' | 'team' | 'interactions';
const PANES: PaneId[] = ['channels', 'campaigns', 'messages', 'team', 'interactions'];

type Modal =
  | { kind: 'message'; id: string }
  | { kind: 'logout' }
  | { kind: 'confirmLogout'; via: 'main' | 'voice'; open: string[] }
  | { kind: 'actions'; contactId: string; sel: number }
  | { kind: 'contact'; contactId: string }
  | { kind: 'newCallback'; contactId: string }
  | { kind: 'myCallbacks' }
  | { kind: 'myStatistics' }
  | null;

/** Entries of Team Communicator's Action menu for a contact. */
export interface ContactAction {
  id: string;
  label: string;
}
const CONTACT_ACTIONS: ContactAction[] = [
  { id: 'newCallback', label: 'New Callback' },
  { id: 'view', label: 'View contact' },
];

export function MainWindow({ width, height, onQuit }: { width: number; height: number; onQuit: () => void }) {
  const { engine, clock } = useDesk();
  const [focus, setFocus] = useState<PaneId>('campaigns');
  const [modal, setModal] = useState<Modal>(null);
  const [openId, setOpenIdState] = useState<string | null>(null);
  const views = useViews();
  const acks = useRef(new AckStore()).current;
  // Team Communicator's query and focus outlive its pane (the Action menu replaces the panes).
  // The query is kept here but typed there, so a key re-renders the pane, not the window.
  const teamMemory = useRef({ query: '', sel: 0 }).current;
  const campaignsMemory = useRef<{ campaignId: string | null }>({ campaignId: null }).current;
  const [teamInSearch, setTeamInSearch] = useState(true);
  const keySeq = useKeySeqRef();
  // Acknowledgements go to the notice line, which queues them under alerts.
  const setFlash = useCallback((m: string) => acks.set(m, clock.wallNow(), keySeq()), [acks, clock, keySeq]);
  // A connected call the agent has opened once is no longer announced.
  const seen = useRef(new Set<string>()).current;
  const setOpenId = useCallback(
    (id: string | null) => {
      if (id) seen.add(id);
      setOpenIdState(id);
    },
    [seen],
  );
  const openAlert = (id: string) => {
    setModal(null);
    setOpenId(id);
  };
  const move = (d: number) => setFocus((f) => PANES[(PANES.indexOf(f) + d + PANES.length) % PANES.length]);
  const doLogout = async (via: 'main' | 'voice') => {
    const r = await requestLogout(engine, via);
    if (!r.ok) return setFlash(r.error);
    if (r.value.waitSec > 0 || engine.myLogout) setModal({ kind: 'logout' });
  };
  // Logging out with an interaction still open asks first; the logout then waits for it.
  const askLogout = (via: 'main' | 'voice') => {
    const open = openInteractionsAtLogout(engine);
    if (open.length > 0) setModal({ kind: 'confirmLogout', via, open: open.map((i) => `${KIND_LABEL[i.kind]} ${i.subject}`) });
    else void doLogout(via);
  };
  const status = async (s: 'Ready' | 'NotReady') => {
    const r = await engine.setStatus(s);
    setFlash(r.ok ? `Status: ${s === 'Ready' ? 'Ready' : 'Not Ready'}` : r.error);
  };
  useKeymap(
    MAIN,
    {
      focusNext: () => move(1),
      focusPrev: () => move(-1),
      focusChannels: () => setFocus('channels'),
      focusCampaigns: () => setFocus('campaigns'),
      focusMessages: () => setFocus('messages'),
      focusTeam: () => {
        setFocus('team');
        setTeamInSearch(true);
      },
      focusInteractions: () => setFocus('interactions'),
      ready: () => void status('Ready'),
      notReady: () => void status('NotReady'),
      pause: async () => {
        await clock.togglePause();
        setFlash(clock.paused ? 'Simulated clock paused' : 'Simulated clock running');
      },
      logout: () => askLogout('main'),
      quit: onQuit,
      myCallbacks: () => setModal({ kind: 'myCallbacks' }),
      myStatistics: () => setModal({ kind: 'myStatistics' }),
    },
    { priority: 10, active: modal === null && openId === null },
  );
  // Jumping to the newest alert works over any window or form of the main window.


  // Height budget: the live frame stays below the terminal's height (Ink redraws the whole
  // screen otherwise): status 1, flash 1, footer 1, one spare row.
  const body = height - 4;
  const rowA = 8;
  const rowC = Math.max(5, Math.floor((body - rowA) * 0.4));
  const rowB = body - rowA - rowC;
  const left = Math.max(24, Math.floor(width * 0.3));
  const msgWidth = Math.floor(width / 2);

  return (
    <Box flexDirection="column" width={width}>
      <StatusBar width={width} />
      {openId !== null ? (
        views ? (
          <views.InteractionWindow id={openId} height={body} onBack={() => setOpenId(null)} onFlash={setFlash} />
        ) : (
          <Text>Opening…</Text>
        )
      ) : modal === null ? (
        <>
          <Box>
            <ChannelsPane focused={focus === 'channels'} height={rowA} width={left} onFlash={setFlash} onLogout={askLogout} />
            <CampaignsPane focused={focus === 'campaigns'} height={rowA} width={width - left} onOpen={setOpenId} onFlash={setFlash} memory={campaignsMemory} />
          </Box>
          <Box>
            <MessagesPane focused={focus === 'messages'} height={rowB} width={msgWidth} onOpen={(id) => {
              void engine.markMessageRead(id);
              setModal({ kind: 'message', id });
            }} />
            <TeamCommunicator
              focused={focus === 'team'}
              height={rowB}
              width={width - msgWidth}
              onAction={(contactId) => setModal({ kind: 'actions', contactId, sel: 0 })}
              memory={teamMemory}
              inSearch={teamInSearch}
              setInSearch={setTeamInSearch}
            />
          </Box>
          <InteractionsPane focused={focus === 'interactions'} height={rowC} width={width} onFlash={setFlash} onOpen={setOpenId} />
        </>
      ) : (
        <Box height={body} flexDirection="column">
          {modal.kind === 'logout' ? (
            <LogoutNotice onDismiss={() => setModal(null)} onFlash={setFlash} />
          ) : modal.kind === 'confirmLogout' ? (
            <Confirm
              question={`${modal.open.length} interaction${modal.open.length > 1 ? 's are' : ' is'} still open (${modal.open.join('; ')}). Log out when ${modal.open.length > 1 ? 'they are' : 'it is'} finished?`}
              onYes={() => {
                setModal(null);
                void doLogout(modal.via);
              }}
              onNo={() => setModal(null)}
            />
          ) : modal.kind === 'myStatistics' ? (
            <MyStatisticsView width={width} height={body} onClose={() => setModal(null)} />
          ) : modal.kind === 'myCallbacks' ? (
            <MyCallbacksView
              width={width}
              height={body}
              onClose={() => setModal(null)}
              onFlash={setFlash}
              onOpenInteraction={(id) => {
                setModal(null);
                setOpenId(id);
              }}
            />
          ) : (
            <ModalView onOpenInteraction={(id) => { setModal(null); setOpenId(id); }} modal={modal} setModal={setModal} width={width} height={body} onFlash={setFlash} views={views} />
          )}
        </Box>
      )}
      <NoticeLine acks={acks} seen={seen} openId={openId} width={width} onOpen={openAlert} onFlash={setFlash} />
    </Box>
  );

}

function ModalView({ modal, setModal, width, height, onFlash, views, onOpenInteraction }: {
  onOpenInteraction: (id: string) => void;
  views: ReturnType<typeof useViews>; modal: Exclude<NonNullable<Modal>, { kind: 'logout' } | { kind: 'confirmLogout' } | { kind: 'myCallbacks' } | { kind: 'myStatistics' }>; setModal: (m: Modal) => void; width: number; height: number; onFlash: (m: string) => void }) {
  if (modal.kind === 'message') return <MessageView id={modal.id} onClose={() => setModal(null)} onOpenInteraction={onOpenInteraction} />;
  if (modal.kind === 'newCallback')
    return !views ? (
      <Text>Opening…</Text>
    ) : (
      <views.GenesysCallbackForm
        mode="new"
        contactId={modal.contactId}
        width={width}
        height={height}
        onClose={(m) => {
          setModal(null);
          if (m) onFlash(m);
        }}
      />
    );
  if (modal.kind === 'contact')
    return (
      <Box flexDirection="column" borderStyle="double" paddingX={1}>
        <ContactCard contactId={modal.contactId} />
        <CloseHint onClose={() => setModal(null)} />
      </Box>
    );
  return (
    <ActionMenu
      contactId={modal.contactId}
      onChoose={(a) => {
        if (a.id === 'view') setModal({ kind: 'contact', contactId: modal.contactId });
        if (a.id === 'newCallback') setModal({ kind: 'newCallback', contactId: modal.contactId });
      }}
      onClose={() => setModal(null)}
    />
  );
}

function CloseHint({ onClose }: { onClose: () => void }) {
  useKeymap(CARD_VIEW, { close: onClose }, { priority: 50, modal: true });
  return <Text>esc close</Text>;
}

function MessageView({ id, onClose, onOpenInteraction }: { id: string; onClose: () => void; onOpenInteraction: (id: string) => void }) {
  const { agentTz } = useDesk();
  const theme = useTheme();
  const engine = useEngineState((e) => e);
  // undefined while it is read; null when there is no such message.
  const m = useStoreQuery(async (q) => (await q.messages.get(id)) ?? null, [id]);
  // The interaction it is about, if it is still on the desktop (live ones are in memory).
  const about = m?.interactionId ? engine.state.interactions[m.interactionId] : undefined;
  const open = about && about.state !== 'done' ? about : undefined;
  // Without an open interaction to go to, Enter closes (as the message says) and the footer
  // does not offer "open".
  useKeymap(MESSAGE_VIEW, { open: () => open && onOpenInteraction(open.id), close: onClose }, { priority: 50, modal: true, disabled: { open: !open && 'no open interaction' }, onDisabled: onClose });
  if (m === undefined) return <Text> </Text>;
  if (m === null) return <Text>No message {id}</Text>;
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1}>
      <Text bold>{m.subject}</Text>
      <Text>
        {engine.zones.format(m.createdAt, agentTz, 'ccc d LLL yyyy HH:mm:ss')} · {m.kind} message{m.priority === 'high' ? ' · high priority' : ''}
      </Text>
      <Text> </Text>
      <Text>{m.body}</Text>
      {m.outcome ? <Text color={theme.fg('warning')}>↪ {m.outcome}</Text> : null}
      <Text> </Text>
      <Text>{open ? `enter opens ${open.subject} · esc close` : 'enter/esc close'}</Text>
    </Box>
  );
}

function ActionMenu({ contactId, onChoose, onClose }: { contactId: string; onChoose: (a: ContactAction) => void; onClose: () => void }) {
  const contact = useStoreQuery((q) => q.contacts.get(contactId), [contactId]);
  const list = useSelectList({ items: CONTACT_ACTIONS.map((a) => ({ key: a.id, label: a.label, value: a })), onSelect: (i) => onChoose(i.value) });
  useKeymap(ACTION_MENU, { ...list.keys, close: onClose }, { priority: 50, modal: true });
  return (
    <Box flexDirection="column" borderStyle="double" paddingX={1}>
      <Text bold>
        Action · {contact?.firstName} {contact?.lastName}
      </Text>
      <SelectList list={list} />
    </Box>
  );
}
