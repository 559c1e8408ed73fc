import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface SavedReplyRow {
  id: string;
  shortcut: string;
  title: string;
  text: string;
  updated_at: Date;
}

const COLUMNS = 'id, shortcut, title, text, updated_at';
const LIST_LIMIT = 500;

@Injectable()
export class SavedRepliesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** By shortcut; `search` (already normalised) narrows to those whose shortcut, title or text contain it. */
  list(search: string | null): Promise<SavedReplyRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM saved_replies
        WHERE $1::text IS NULL OR strpos(search_text, $1) > 0
        ORDER BY lower(shortcut) LIMIT ${LIST_LIMIT}`,
      [search],
    );
  }

  async find(manager: EntityManager, id: string): Promise<SavedReplyRow | null> {
    const rows: SavedReplyRow[] = await manager.query(`SELECT ${COLUMNS} FROM saved_replies WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async insert(manager: EntityManager, reply: { shortcut: string; title: string; text: string; searchText: string; createdBy: string | null }): Promise<SavedReplyRow> {
    const rows: SavedReplyRow[] = await manager.query(
      `INSERT INTO saved_replies (shortcut, title, text, search_text, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [reply.shortcut, reply.title, reply.text, reply.searchText, reply.createdBy],
    );
    return rows[0];
  }

  async update(manager: EntityManager, id: string, reply: { shortcut: string; title: string; text: string; searchText: string }): Promise<SavedReplyRow> {
    const rows: SavedReplyRow[] = await manager.query(
      // In a CTE: TypeORM hands back an UPDATE's own RETURNING as [rows, count], a SELECT's as rows.
      `WITH updated AS (
         UPDATE saved_replies SET shortcut = $2, title = $3, text = $4, search_text = $5, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}
       ) SELECT * FROM updated`,
      [id, reply.shortcut, reply.title, reply.text, reply.searchText],
    );
    return rows[0];
  }

  async delete(manager: EntityManager, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`WITH gone AS (DELETE FROM saved_replies WHERE id = $1 RETURNING id) SELECT id FROM gone`, [id]);
    return rows.length > 0;
  }
}
