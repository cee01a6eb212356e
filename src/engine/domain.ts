// Long on purpose: the domain's types and codes (OCS, GMS, WDE), one glossary every module names.
/**
 * Domain types with the names and codes of Genesys Outbound Contact Server, Genesys Callback
 * and Workspace Desktop Edition (see shared/DOMAIN.md), so that their users recognise them.
 */

export const RecordType = {
  NoRecordType: 0,
  Unknown: 1,
  General: 2,
  CampaignRescheduled: 3,
  PersonalRescheduled: 4,
  PersonalCallback: 5,
  CampaignCallback: 6,
  NoCall: 7,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export const RecordStatus = {
  NoRecordStatus: 0,
  Ready: 1,
  Retrieved: 2,
  Updated: 3,
  Stale: 4,
  Cancelled: 5,
  AgentError: 6,
  ChainUpdated: 7,
  MissedCallback: 8,
  ChainReady: 9,
} as const;
export type RecordStatus = (typeof RecordStatus)[keyof typeof RecordStatus];

export const ContactInfoType = {
  NoContactType: 0,
  HomePhone: 1,
  DirectBusinessPhone: 2,
  BusinessWithExtension: 3,
  Mobile: 4,
  VacationPhone: 5,
  Pager: 6,
  Modem: 7,
  VoiceMail: 8,
  PinPager: 9,
  EmailAddress: 10,
  InstantMessaging: 11,
} as const;
export type ContactInfoType = (typeof ContactInfoType)[keyof typeof ContactInfoType];

export const CONTACT_INFO_TYPE_NAMES: Record<ContactInfoType, string> = {
  0: 'No Contact Type',
  1: 'Home Phone',
  2: 'Direct Business Phone',
  3: 'Business With Extension',
  4: 'Mobile',
  5: 'Vacation Phone',
  6: 'Pager',
  7: 'Modem',
  8: 'Voice Mail',
  9: 'Pin Pager',
  10: 'E-Mail Address',
  11: 'Instant Messaging',
};

export const RECORD_TYPE_NAMES: Record<RecordType, string> = {
  0: 'No Record Type',
  1: 'Unknown',
  2: 'General',
  3: 'Campaign Rescheduled',
  4: 'Personal Rescheduled',
  5: 'Personal Callback',
  6: 'Campaign Callback',
  7: 'No Call',
};

export const RECORD_STATUS_NAMES: Record<RecordStatus, string> = {
  0: 'No Record Status',
  1: 'Ready',
  2: 'Retrieved',
  3: 'Updated',
  4: 'Stale',
  5: 'Cancelled',
  6: 'Agent Error',
  7: 'Chain Updated',
  8: 'Missed Callback',
  9: 'Chain Ready',
};

export const CallResult = {
  SITDetected: 8,
  Busy: 6,
  NoAnswer: 7,
  AnsweringMachine: 9,
  AllTrunksBusy: 10,
  SITInvalidNumber: 11,
  FaxDetected: 17,
  Abandoned: 21,
  Dropped: 26,
  DroppedOnNoAnswer: 27,
  Unknown: 28,
  Answer: 33,
  WrongParty: 40,
  NoPortAvailable: 44,
  AgentCallbackError: 47,
  GroupCallbackError: 48,
  DoNotCall: 51,
  CancelRecord: 52,
  WrongNumber: 53,
} as const;
export type CallResult = (typeof CallResult)[keyof typeof CallResult];

export const CALL_RESULT_NAMES: Record<number, string> = {
  8: 'SIT Detected',
  6: 'Busy',
  7: 'No Answer',
  9: 'Answering Machine Detected',
  10: 'All Trunks Busy',
  11: 'SIT Invalid Number',
  17: 'Fax Detected',
  21: 'Abandoned',
  26: 'Dropped',
  27: 'Dropped on No Answer',
  28: 'Unknown',
  33: 'Answer',
  40: 'Wrong Party',
  44: 'No Port Available',
  47: 'Agent Callback Error',
  48: 'Group Callback Error',
  51: 'Do Not Call',
  52: 'Cancel Record',
  53: 'Wrong Number',
};

export const DialingMode = {
  Predictive: 1,
  Progressive: 2,
  Preview: 3,
  ProgressiveWithSeizing: 4,
  PredictiveWithSeizing: 5,
  Power: 6,
  PushPreview: 8,
} as const;
export type DialingMode = (typeof DialingMode)[keyof typeof DialingMode];

export const DIALING_MODE_NAMES: Record<DialingMode, string> = {
  1: 'Predictive',
  2: 'Progressive',
  3: 'Preview',
  4: 'Progressive with seizing',
  5: 'Predictive with seizing',
  6: 'Power',
  8: 'Push Preview',
};

/** Agents see two delivery modes; Preview is the only Manual one. */
export function deliveryMode(mode: DialingMode): 'Manual' | 'Automatic' {
  return mode === DialingMode.Preview ? 'Manual' : 'Automatic';
}

export type CampaignStatus = 'Loaded' | 'Started' | 'Stopped' | 'Unloaded';

/** What agents see: a Loaded campaign is Active, a Started one is Running. */
export function campaignStatusLabel(s: CampaignStatus): string {
  return s === 'Loaded' ? 'Active' : s === 'Started' ? 'Running' : s;
}

/**
 * Per-campaign rule for the Personal Callback box: both allowed (box shown), all personal
 * (box on and locked), all campaign (box hidden).
 */
export type CallbackPolicy = 'agent-choice' | 'personal-only' | 'campaign-only';

export type OptimizationMethod = 'BusyFactor' | 'OverdialRate' | 'AverageWaitingTime' | 'AverageDistributionTime';

export interface DispositionCode {
  code: string;
  label: string;
}

export interface Campaign {
  id: string;
  name: string;
  dialingMode: DialingMode;
  status: CampaignStatus;
  /** When the campaign was last started (UTC ms); agents who log in later are told at login. */
  startedAt: number | null;
  groupId: string;
  callbackPolicy: CallbackPolicy;
  /** Days ahead a callback may be booked. */
  callbackHorizonDays: number;
  /** Open personal callbacks an agent may hold in this campaign. */
  personalCallbackCap: number;
  /** Minutes a due personal callback waits for its agent before it is missed. */
  personalCallbackGraceMin: number;
  /** Whether a missed personal callback is offered to the whole campaign. */
  missedCallbackToCampaign: boolean;
  optimization: { method: OptimizationMethod; target: number };
  /** Target share of abandoned calls among live answers (0.03 = 3%). */
  targetAbandonRate: number;
  dispositionCodes: DispositionCode[];
  /** Custom business fields shown and edited on the call. */
  customFields: string[];
  /** Calls the dialer placed for the agent at the keyboard. */
  deskStats?: { attempts: number; liveAnswers: number; abandoned: number };
  /** The campaign's live figures (the whole group), kept as calls end. */
  figures?: CampaignLiveFigures;
  /** Call model rates and handle times of the campaign's simulation. */
  sim?: { hitRate: number; talkSec: number; wrapSec: number };
  /** Longest a negotiated logout waits for calls already dialed (seconds). */
  logoutWaitCapSec?: number;
  /**
   * How many simulated colleagues of the group the dialer keeps beside the agents at desktops
   * (0: only the real agents); absent: every simulated agent of the group. Read when the
   * campaign starts.
   */
  simulatedColleagues?: number;
}

/**
 * A campaign's live figures since it started, kept up as each call ends (My Campaigns reads
 * them; nothing is simulated again to show them). Occupancy is busy agent time over logged-in
 * agent time: the sums up to `at`, and how many agents have been busy and logged in since.
 */
export interface CampaignLiveFigures {
  /** The campaign start they count from. */
  since: number;
  attempts: number;
  liveAnswers: number;
  abandoned: number;
  busyMs: number;
  loggedMs: number;
  at: number;
  busyAgents: number;
  loggedAgents: number;
}

export interface CallingListRecord {
  record_id: number;
  contact_info: string;
  contact_info_type: ContactInfoType;
  record_type: RecordType;
  record_status: RecordStatus;
  call_result: CallResult;
  attempt: number;
  /**
   * When the record is due (OCS dial_sched_time). The engine counts time in one unit, UTC epoch
   * ms (whole seconds here); the OCS seconds appear only at the edges: the table, JSON and CSV.
   */
  dialSchedAt: number | null;
  /** The last dial (OCS call_time), UTC epoch ms. */
  callAt: number | null;
  /** Seconds since midnight in the record's zone. */
  daily_from: number;
  daily_till: number;
  tz_dbid: number;
  /** IANA zone name beside tz_dbid. */
  tz: string;
  campaign_id: string;
  agent_id: string | null;
  chain_id: number;
  chain_n: number;
  group_id: string;
  contact_id: string;
  treatments: string[];
  /** The contact's local wall time of the callback, kept beside dialSchedAt. */
  callback_local?: string | null;
  disposition?: string | null;
  /**
   * The agent who booked the callback on this record (RecordReschedule), personal or campaign;
   * not an OCS field (OCS keeps only the owner of a personal callback, agent_id). Absent or null
   * when nobody at a desk booked it: an import, a script's campaign callback, an older file.
   */
  booked_by?: string | null;
}

/** The OCS state of a record nobody has dialed yet. */
export const NEW_RECORD = {
  record_type: RecordType.General,
  record_status: RecordStatus.Ready,
  call_result: CallResult.Unknown,
  attempt: 0,
  dialSchedAt: null,
  callAt: null,
} as const;

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  tz: string;
  email: string;
  /** Custom business fields (account, balance...), what "update customer record" edits. */
  fields: Record<string, string>;
}

/**
 * What the desktop says when an OCS request is acknowledged: what happened, in the agent's words.
 * The protocol's name (RecordProcessedAcknowledge...) names the request where the code does and
 * is not the agent's to read.
 */
export function acknowledgement(words: string, _protocol: string): string {
  return words;
}

export type AgentStatus = 'Ready' | 'NotReady' | 'AfterCallWork' | 'LoggedOut';

export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = {
  Ready: 'Ready',
  NotReady: 'Not Ready',
  AfterCallWork: 'After Call Work',
  LoggedOut: 'Logged Out',
};

export interface Agent {
  id: string;
  name: string;
  groupId: string;
  status: AgentStatus;
  /**
   * A colleague the simulation works for (the demo world has twelve). One that logs in at a
   * desktop is not simulated while its session lasts (a trainee taking a seat).
   */
  simulated: boolean;
  place: string | null;
  loggedInAt: number | null;
  /** When the status last changed (the status bar shows the time in it). */
  statusSince?: number;
  /** The status After Call Work returns to at Done: the one the agent had before the call. */
  statusAfterWork?: AgentStatus;
  /** The agent's session at a desktop while logged in; absent or null when logged out. */
  session?: AgentSession | null;
  /**
   * The agent's IANA zone, kept with the state: the desktop's clock and the agent's day. The
   * first desktop started for the agent, or the first login as the agent at a desktop's login
   * form, sets it (the desktop's --tz, else the system's zone); a later --tz changes it; a start
   * or login without --tz uses it.
   */
  tz?: string;
}

/** An agent logged in at a desktop: one per agent, whichever process that desktop runs in. */
export interface AgentSession {
  place: string;
  channels: Record<MediaChannel, ChannelState>;
  loggedInAt: number;
  /** Negotiated logout in progress for this agent (LogOut sent, LogOutTime answered). */
  logout: NegotiatedLogout | null;
}

/**
 * Negotiated logout in progress. authorizedAt is null while the countdown is paused for a call
 * that connected meanwhile; remainingMs is what is left.
 */
export interface NegotiatedLogout {
  requestedAt: number;
  via: 'main' | 'voice';
  /** LogOutTime: the seconds the server asked to wait. */
  waitSec: number;
  authorizedAt: number | null;
  remainingMs: number;
  /** ReadyForLogout received: the agent is logged out a moment later. */
  authorized: boolean;
  messageId: string | null;
  /**
   * False while the host has not yet answered (LogOutTime): a desktop that does not host asks,
   * and the host decides from its dialer's calls for the agent. Absent: decided.
   */
  decided?: boolean;
}

export type MediaChannel = 'voice' | 'chat' | 'email' | 'sms';

export type InteractionKind =
  | 'outbound-voice'
  | 'inbound-voice'
  | 'chat'
  | 'email'
  | 'sms'
  | 'callback'
  | 'web-callback';

/**
 * waiting: scheduled, not on the desktop yet (a web callback before its time);
 * preview: the record is shown and the agent has not dialed; dialing: ringing the contact;
 * alerting: offered to the agent; connected: talking; ended: hung up, in wrap-up until Done.
 */
export type InteractionState = 'waiting' | 'preview' | 'dialing' | 'alerting' | 'connected' | 'ended' | 'done';

/** The callback the agent has set on the call; committed by Done. */
export interface PendingReschedule {
  /** UTC epoch ms of the callback. */
  at: number;
  tz: string;
  /** Contact-local wall time, "2026-11-25 15:00". */
  local: string;
  callbackType: 'Personal' | 'Campaign';
  recordId: number;
  /** Set when the time is outside the number's contact hours: the dialer waits until then. */
  dialableFrom?: number;
}

/** Outbound-call facts an interaction carries (WDE's case data for an OCS record). */
export interface OutboundCall {
  /** The chain record being called now. */
  recordId: number;
  /** How the call reached the agent: a requested preview, a pushed callback, the dialer. */
  origin: 'PreviewRecord' | 'ScheduledCall' | 'Dialer' | 'CampaignCallback' | 'PushPreview';
  callResult: CallResult;
  disposition: string | null;
  pendingReschedule: PendingReschedule | null;
  /** The Reschedule button's state: shown as Rescheduled once Done committed it. */
  rescheduled: boolean;
  connectedAt: number | null;
  /** When the ringing of a number the agent dialed ends (the host arms the call's outcome then). */
  ringEndsAt?: number;
  /**
   * The call's row in the call log when it is not the interaction's id: the dialer's call
   * (D17) that was dialled before it reached the desk. Absent: the interaction is the call.
   */
  callId?: string;
}

export interface Interaction {
  id: string;
  /** The agent whose desktop it is on; null while it waits for nobody in particular (a web callback before its time). */
  agentId?: string | null;
  kind: InteractionKind;
  channel: MediaChannel;
  state: InteractionState;
  contactId: string | null;
  /** Calling-list record behind an outbound call. */
  recordId: number | null;
  campaignId: string | null;
  subject: string;
  /** Case data shown in the interaction view. */
  caseData: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  outbound?: OutboundCall;
  web?: WebCallbackRequest;
  /** The message that announced this interaction, so its outcome can be written on it. */
  messageId?: string;
}

export type MessageKind = 'campaign' | 'system' | 'callback' | 'logout';

export interface AgentMessage {
  id: string;
  agentId: string;
  kind: MessageKind;
  priority: 'normal' | 'high';
  subject: string;
  body: string;
  createdAt: number;
  read: boolean;
  /** The interaction the message is about: My Messages opens it while it is open. */
  interactionId?: string;
  /** What became of that interaction when it left the desk ("routed to another agent after 30 s"). */
  outcome?: string;
}

export interface OfficeHours {
  /** Weekday (1 = Monday ... 7 = Sunday) to opening intervals in seconds of day, service zone. */
  weekly: Record<number, [number, number][]>;
  /** ISO date (yyyy-mm-dd) to intervals; an empty list is closed. */
  special: Record<string, [number, number][]>;
}

export interface CallbackService {
  name: string;
  tz: string;
  officeHours: OfficeHours;
  slotMinutes: 5 | 10 | 15 | 20 | 30 | 60 | 120;
  capacity: number;
}

export type ChannelState = 'Ready' | 'NotReady' | 'LoggedOut';

/**
 * What a channel is busy with beside its Ready / Not Ready state: its most engaged interaction
 * (talking before dialing before ringing before a preview), or wrap-up after a call ended. A
 * channel can be Ready and talking: Ready says what it takes next, this what it does now.
 */
export type ChannelActivity = 'connected' | 'dialing' | 'alerting' | 'preview' | 'wrap-up';

export interface Session {
  agentId: string | null;
  place: string | null;
  channels: Record<MediaChannel, ChannelState>;
}

/** Genesys Callback (GMS) types offered to agents. */
export const CALLBACK_TYPES = ['Immediate', 'Delayed', 'Scheduled', 'Delayed (Agent Preview)'] as const;
export type CallbackType = (typeof CALLBACK_TYPES)[number];

export type GmsCallbackState = 'SCHEDULED' | 'QUEUED' | 'ROUTING' | 'PROCESSING' | 'COMPLETED';

/** A Genesys Callback (GMS): booked in a service's capacity, routed to an agent when due. */
export interface GenesysCallback {
  id: string;
  service: string;
  contactId: string | null;
  /** _customer_number, E.164. */
  customerNumber: string;
  type: CallbackType;
  /** _desired_time: UTC ms; the start of the booked slot. */
  desiredTime: number;
  /** Start of the capacity bucket the booking counts against (UTC ms). */
  slot: number;
  state: GmsCallbackState;
  /** COMPLETED reason: AGENT_CONNECTED, CANCELLED, FAIL_TIMEOUT_TTL... */
  reason: string | null;
  /** Who booked it: an agent id, "web" (a customer) or a simulated colleague's id. */
  bookedBy: string;
  createdAt: number;
  /** Earlier desired times, newest last (_new_desired_time history). */
  history: { at: number; desiredTime: number; by: string }[];
  /** The interaction it was created from, if any. */
  originInteraction: string | null;
}

/** A reschedule of a web callback: the window [from, till) and the number to call. */
export interface WebCallbackWindow {
  /** UTC ms. */
  from: number;
  till: number;
  to: string;
}

/** A customer's request, on a web page, to be called back. */
export interface WebCallbackRequest {
  requestId: string;
  /** The window the customer asked for, or the latest reschedule of it. */
  window: WebCallbackWindow;
  note: string;
  /** Set by the Reschedule Callback view; Done commits it. */
  pending: WebCallbackWindow | null;
  /** Earlier windows, oldest first. */
  history: { at: number; by: string; window: WebCallbackWindow }[];
  /** Times the notification has been shown, for exactly-once delivery. */
  notified: number;
}

/**
 * One row of the call log: a calling-list record delivered to a desk or dialled, followed as the
 * call connects, ends and is done. Times are simulated UTC epoch ms; null until they happen.
 */
export interface CallLogEntry {
  /** The interaction's id (I42) for a call that began on a desk, the dialer's (D17) for a line it dialled. */
  call_id: string;
  /** Orders calls that started in the same millisecond (given by the store's counter). */
  seq: number;
  record_id: number;
  campaign_id: string;
  /** The agent whose call it is; null for a line a simulated colleague of the group took. */
  agent_id: string | null;
  /** The campaign's dialing mode name (Preview, Push Preview, Progressive, Predictive) or the callback kind. */
  mode: string;
  started_at: number;
  delivered_at: number | null;
  dialled_at: number | null;
  connected_at: number | null;
  ended_at: number | null;
  call_result: CallResult | null;
  disposition: string | null;
  /** When the agent booked a callback on the call (RecordReschedule at Done). */
  rescheduled_at: number | null;
}


/** The call-log row of an outbound interaction: its own id, or the dialer's call it came from. */
export function callIdOf(it: Interaction): string {
  return it.outbound?.callId ?? it.id;
}
