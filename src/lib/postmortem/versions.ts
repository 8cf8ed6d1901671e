/** What the versions API answers (shared by the server module and the history panel). */

export type VersionKind = 'auto' | 'manual' | 'lifecycle' | 'restore';

export interface PersonName {
	id: string;
	name: string;
}

export interface PostmortemVersion {
	id: string;
	incidentId: string;
	label: string;
	kind: VersionKind;
	authors: PersonName[];
	/** Null for versions the server took on its own (autosave). */
	createdBy: PersonName | null;
	createdAt: number;
}
