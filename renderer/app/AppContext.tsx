/** What every screen needs: the database, settings, the catalogue and the mirror's state. */
import { createContext, useContext } from 'react';
import type { Session } from '../db/session';
import type { Matter, Measure } from '../../shared/domain/schemas';
import type { HechataiDb } from '../db/database';
import type { MirrorSource } from '../db/mirror';
import type { Settings } from './settings';
import type { SyncHandle } from '../sync/store';

export interface MirrorInfo {
  asOf: number | null;
  source: MirrorSource | undefined;
  pending: number;
}

/**
 * Who is signed in: the session renderer/db/accounts.ts issued at sign-in. Records made on a
 * screen name `name` (经办人 / 检查人员); data-layer calls that need a permission take this
 * object and check it themselves (renderer/db/session.ts requirePermission), so a hand-made
 * `{ role: '管理员' }` is refused.
 */
export type Actor = Session;

export interface AppState {
  /** The signed-in clerk, inspector or administrator. */
  actor: Actor;
  db: HechataiDb;
  settings: Settings;
  setSettings: (s: Settings) => Promise<void>;
  matters: Matter[];
  measures: Measure[];
  mirror: MirrorInfo;
  refreshMirror: () => Promise<void>;
  /** The clock every rule reads; a test build may move it. */
  now: () => number;
  /** The platform sync (enrolment, push, pull, status). */
  sync: SyncHandle;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp() outside <AppContext>');
  return s;
}
