/**
 * The browser side of the postmortem page: the incident document over the
 * stock y-websocket provider and presence over awareness, with the fields
 * y-codemirror.next reads for remote cursors (`user.name`, `user.color`,
 * `user.colorLight`) next to our `user.id`.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as docs from '../doc/incident-doc';
import { colorFor, peopleHere, type PresenceState } from './presence';
import type { ConnectionState, Me } from './incident-session.svelte';

/** The cursor colour at 20% opacity, for the selection highlight. */
function lighten(hex: string): string {
	return `${hex}33`;
}

export class PostmortemSession {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly ytext: Y.Text;

	text = $state('');
	timeline = $state<docs.TimelineEntry[]>([]);
	people = $state<ReturnType<typeof peopleHere>>([]);
	connection = $state<ConnectionState>('connecting');
	synced = $state(false);

	private cleanups: (() => void)[] = [];

	constructor(
		readonly me: Me,
		incidentId: string
	) {
		const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		this.provider = new WebsocketProvider(wsBase, incidentId, this.doc, { disableBc: true });
		this.ytext = docs.postmortemOf(this.doc);

		const refresh = () => {
			this.text = this.ytext.toString();
			this.timeline = docs.readTimeline(this.doc);
		};
		this.doc.on('update', refresh);
		this.cleanups.push(() => this.doc.off('update', refresh));

		this.provider.on('status', ({ status }: { status: string }) => {
			if (status === 'connected') this.connection = this.synced ? 'live' : 'connecting';
			else this.connection = this.synced ? 'reconnecting' : 'connecting';
		});
		this.provider.on('sync', (isSynced: boolean) => {
			if (isSynced) {
				this.synced = true;
				this.connection = 'live';
			}
		});

		const color = colorFor(me.id);
		const local: PresenceState & { user: { colorLight: string } } = {
			user: { id: me.id, name: me.name, color, colorLight: lighten(color) },
			idle: false,
			view: 'postmortem'
		};
		const awareness = this.provider.awareness;
		awareness.setLocalState(local);
		const onAwareness = () => (this.people = peopleHere(awareness.getStates().values()));
		awareness.on('change', onAwareness);
		this.cleanups.push(() => awareness.off('change', onAwareness));
		onAwareness();
		refresh();
	}

	destroy(): void {
		for (const c of this.cleanups) c();
		this.provider.destroy();
		this.doc.destroy();
	}
}
