/**
 * The browser side of one war room: the incident document over the stock
 * y-websocket provider, commands and authoritative incident state over
 * Socket.IO, and presence over awareness, exposed as Svelte 5 reactive state.
 */
import { io, type Socket } from 'socket.io-client';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as docs from '../doc/incident-doc';
import type { CommandName } from '../incident/command-schemas';
import { colorFor, peopleHere, type PresenceState } from './presence';
import type { IncidentView } from '../incident/incident-view';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type CommandReply =
	{ ok: true; incident: IncidentView } | { ok: false; error: string; code?: string };

export interface Me {
	id: string;
	name: string;
	readOnly: boolean;
}

const IDLE_AFTER_MS = 2 * 60_000;

export class IncidentSession {
	readonly doc = new Y.Doc();
	/** Set by connect(), in the browser only; server rendering shows the initial state. */
	provider: WebsocketProvider | null = null;
	socket: Socket | null = null;

	incident = $state<IncidentView>() as IncidentView;
	timeline = $state<docs.TimelineEntry[]>([]);
	checklist = $state<docs.ChecklistItem[]>([]);
	people = $state<ReturnType<typeof peopleHere>>([]);
	connection = $state<ConnectionState>('connecting');
	/** Local changes made while not connected, not yet confirmed by a sync. */
	unsent = $state(0);
	synced = $state(false);

	private idleTimer: ReturnType<typeof setTimeout> | undefined;
	private cleanups: (() => void)[] = [];

	constructor(
		readonly me: Me,
		initial: IncidentView,
		private readonly options: { view?: string } = {}
	) {
		this.incident = initial;
	}

	/** Opens the document, presence and command connections (browser only). */
	connect(): void {
		if (this.provider) return;
		const initial = this.incident;
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		const provider = new WebsocketProvider(wsBase, initial.id, this.doc, { disableBc: true });
		this.provider = provider;

		const refreshDoc = () => {
			this.timeline = docs.readTimeline(this.doc);
			this.checklist = docs.readChecklist(this.doc);
		};
		const onUpdate = (_u: Uint8Array, origin: unknown) => {
			if (origin !== provider && !provider.wsconnected) this.unsent++;
			refreshDoc();
		};
		this.doc.on('update', onUpdate);
		this.cleanups.push(() => this.doc.off('update', onUpdate));

		provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connected') this.connection = this.synced ? 'live' : 'connecting';
			else this.connection = this.synced ? 'reconnecting' : 'connecting';
		});
		provider.on('sync', (isSynced: boolean) => {
			if (isSynced) {
				this.synced = true;
				this.unsent = 0;
				this.connection = 'live';
			}
		});
		const onOffline = () => (this.connection = 'offline');
		const onOnline = () => (this.connection = provider.wsconnected ? 'live' : 'reconnecting');
		window.addEventListener('offline', onOffline);
		window.addEventListener('online', onOnline);
		this.cleanups.push(() => {
			window.removeEventListener('offline', onOffline);
			window.removeEventListener('online', onOnline);
		});

		const awareness = provider.awareness;
		const local: PresenceState = {
			user: { id: this.me.id, name: this.me.name, color: colorFor(this.me.id) },
			idle: false,
			view: this.options.view ?? 'warroom'
		};
		awareness.setLocalState(local);
		const onAwareness = () => (this.people = peopleHere(awareness.getStates().values()));
		awareness.on('change', onAwareness);
		this.cleanups.push(() => awareness.off('change', onAwareness));
		onAwareness(); // our own state was set before we listened
		this.watchIdle(provider);

		const socket = io({ transports: ['websocket', 'polling'] });
		this.socket = socket;
		socket.on('connect', () => {
			socket.emit('incident:join', { incidentId: initial.id }, (reply: CommandReply) => {
				if (reply.ok) this.incident = reply.incident;
			});
		});
		socket.on('incident:changed', ({ incident }: { incident: IncidentView }) => {
			if (incident.id === this.incident.id) this.incident = incident;
		});
		refreshDoc();
	}

	private watchIdle(provider: WebsocketProvider): void {
		const awareness = provider.awareness;
		const markActive = () => {
			clearTimeout(this.idleTimer);
			const state = awareness.getLocalState() as PresenceState | null;
			if (state?.idle) awareness.setLocalStateField('idle', false);
			this.idleTimer = setTimeout(() => awareness.setLocalStateField('idle', true), IDLE_AFTER_MS);
		};
		const events = ['pointerdown', 'keydown', 'pointermove', 'focus'] as const;
		for (const e of events) window.addEventListener(e, markActive, { passive: true });
		this.cleanups.push(() => {
			for (const e of events) window.removeEventListener(e, markActive);
			clearTimeout(this.idleTimer);
		});
		markActive();
	}

	/** Sends a command; resolves with the server's answer (or a timeout error). */
	command(name: CommandName, payload: Record<string, unknown>): Promise<CommandReply> {
		return new Promise((resolve) => {
			const socket = this.socket;
			if (!socket?.connected) {
				resolve({
					ok: false,
					error: 'Not connected to the server; try again when the indicator is live.'
				});
				return;
			}
			socket
				.timeout(10_000)
				.emit(
					name,
					{ incidentId: this.incident.id, ...payload },
					(err: Error | null, reply: CommandReply) => {
						if (err) return resolve({ ok: false, error: 'The server did not answer in time.' });
						if (reply.ok) this.incident = reply.incident;
						resolve(reply);
					}
				);
		});
	}

	postNote(text: string, ts = Date.now(), kind: docs.EntryKind = 'note'): void {
		if (this.me.readOnly) return;
		docs.appendEntry(this.doc, { ts, kind, text, author: this.me.id });
	}

	editNote(id: string, text: string): void {
		if (this.me.readOnly) return;
		docs.updateEntry(this.doc, id, { text, editedAt: Date.now() });
	}

	deleteNote(id: string): void {
		if (this.me.readOnly) return;
		docs.deleteEntry(this.doc, id);
	}

	setPinned(id: string, pinned: boolean): void {
		if (this.me.readOnly) return;
		docs.updateEntry(this.doc, id, { pinned: pinned || undefined });
	}

	addChecklistItem(text: string): void {
		if (this.me.readOnly) return;
		docs.addChecklistItem(this.doc, { text });
	}

	setChecklistDone(id: string, done: boolean): void {
		if (this.me.readOnly) return;
		docs.setChecklistDone(this.doc, id, done, this.me.id);
	}

	assignChecklistItem(id: string, assignee: string): void {
		if (this.me.readOnly) return;
		docs.updateChecklistItem(this.doc, id, { assignee });
	}

	moveChecklistItem(id: string, toIndex: number): void {
		if (this.me.readOnly) return;
		docs.moveChecklistItem(this.doc, id, toIndex);
	}

	deleteChecklistItem(id: string): void {
		if (this.me.readOnly) return;
		docs.deleteChecklistItem(this.doc, id);
	}

	destroy(): void {
		for (const c of this.cleanups) c();
		this.socket?.close();
		this.provider?.destroy();
		this.doc.destroy();
	}
}
