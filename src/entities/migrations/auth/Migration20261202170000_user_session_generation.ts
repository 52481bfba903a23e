import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 13: a password reset ends the user's sessions. Tokens carry the generation of the sessions
 * they were issued in; a reset moves the user to the next one, and older tokens stop working.
 */
export class Migration20261202170000_user_session_generation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "session_generation" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table "users" drop column "session_generation";');
  }
}
