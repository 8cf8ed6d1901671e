/**
 * Schema migrations, kept in code (not files) so the bundled SvelteKit build
 * and the realtime server run exactly the same list on SQLite and PostgreSQL.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function types(dialect: Dialect) {
	return {
		bytes: dialect === 'postgres' ? sql`bytea` : sql`blob`,
		ms: 'bigint' as const
	};
}

function initial(dialect: Dialect): Migration {
	const t = types(dialect);
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('users')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('username', 'text', (c) => c.notNull().unique())
				.addColumn('display_name', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('secret_hash', 'text', (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.addColumn('last_verified_at', t.ms, (c) => c.notNull())
				.execute();
			await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

			await db.schema
				.createTable('incidents')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('severity', 'text', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('detection_source', 'text', (c) => c.notNull())
				.addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('started_at', t.ms, (c) => c.notNull())
				.addColumn('detected_at', t.ms, (c) => c.notNull())
				.addColumn('declared_at', t.ms, (c) => c.notNull())
				.addColumn('mitigated_at', t.ms)
				.addColumn('resolved_at', t.ms)
				.addColumn('closed_at', t.ms)
				.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
				.addColumn('commander_id', 'text', (c) => c.references('users.id'))
				.addColumn('comms_lead_id', 'text', (c) => c.references('users.id'))
				.addColumn('scribe_id', 'text', (c) => c.references('users.id'))
				.addColumn('category', 'text')
				.addColumn('updated_at', t.ms, (c) => c.notNull())
				.execute();
			await db.schema.createIndex('incidents_status').on('incidents').column('status').execute();

			await db.schema
				.createTable('incident_smes')
				.addColumn('incident_id', 'text', (c) =>
					c.notNull().references('incidents.id').onDelete('cascade')
				)
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
				.addColumn('added_by', 'text', (c) => c.notNull())
				.addColumn('added_at', t.ms, (c) => c.notNull())
				.addPrimaryKeyConstraint('incident_smes_pk', ['incident_id', 'user_id'])
				.execute();

			await db.schema
				.createTable('incident_events')
				.addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
					dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
				)
				.addColumn('incident_id', 'text', (c) =>
					c.notNull().references('incidents.id').onDelete('cascade')
				)
				.addColumn('actor_id', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('data', 'text', (c) => c.notNull())
				.addColumn('at', t.ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('incident_events_incident')
				.on('incident_events')
				.column('incident_id')
				.execute();

			await db.schema
				.createTable('handovers')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('incident_id', 'text', (c) =>
					c.notNull().references('incidents.id').onDelete('cascade')
				)
				.addColumn('from_user_id', 'text', (c) => c.notNull())
				.addColumn('to_user_id', 'text', (c) => c.notNull())
				.addColumn('brief', 'text', (c) => c.notNull())
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.addColumn('settled_at', t.ms)
				.execute();

			await db.schema
				.createTable('yjs_updates')
				.addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
					dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()
				)
				.addColumn('incident_id', 'text', (c) => c.notNull())
				.addColumn('data', t.bytes, (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('yjs_updates_incident_seq')
				.on('yjs_updates')
				.columns(['incident_id', 'seq'])
				.execute();

			await db.schema
				.createTable('yjs_states')
				.addColumn('incident_id', 'text', (c) => c.primaryKey())
				.addColumn('state', t.bytes, (c) => c.notNull())
				.addColumn('through_seq', t.ms, (c) => c.notNull())
				.addColumn('updated_at', t.ms, (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('postmortem_versions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('incident_id', 'text', (c) =>
					c.notNull().references('incidents.id').onDelete('cascade')
				)
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('authors', 'text', (c) => c.notNull())
				.addColumn('snapshot', t.bytes, (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.execute();
			await db.schema
				.createIndex('postmortem_versions_incident')
				.on('postmortem_versions')
				.columns(['incident_id', 'created_at'])
				.execute();

			await db.schema
				.createTable('checklist_templates')
				.addColumn('severity', 'text', (c) => c.primaryKey())
				.addColumn('items', 'text', (c) => c.notNull())
				.addColumn('updated_by', 'text')
				.addColumn('updated_at', t.ms, (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('share_links')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('incident_id', 'text', (c) =>
					c.notNull().references('incidents.id').onDelete('cascade')
				)
				.addColumn('token_hash', 'text', (c) => c.notNull().unique())
				.addColumn('label', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', t.ms, (c) => c.notNull())
				.addColumn('expires_at', t.ms, (c) => c.notNull())
				.addColumn('revoked_at', t.ms)
				.execute();
		}
	};
}

/** The admin's override of the blameless postmortem template (one row per template name). */
function postmortemTemplate(dialect: Dialect): Migration {
	const t = types(dialect);
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('postmortem_templates')
				.addColumn('name', 'text', (c) => c.primaryKey())
				.addColumn('body', 'text', (c) => c.notNull())
				.addColumn('updated_by', 'text')
				.addColumn('updated_at', t.ms, (c) => c.notNull())
				.execute();
		}
	};
}

/**
 * Each postmortem version keeps its plain text beside the snapshot. Rebuilding
 * the text from a snapshot means decoding the whole incident; autosave compares
 * against the latest version after every burst of edits, and a large incident
 * took hundreds of milliseconds of the event loop for each. Older rows keep
 * NULL and are rebuilt from their snapshot when read.
 */
const postmortemVersionText: Migration = {
	async up(db: Kysely<unknown>) {
		await db.schema.alterTable('postmortem_versions').addColumn('text', 'text').execute();
	}
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
	return {
		async getMigrations() {
			return {
				'0001_initial': initial(dialect),
				'0002_postmortem_template': postmortemTemplate(dialect),
				'0003_postmortem_version_text': postmortemVersionText
			};
		}
	};
}
