/** What every screen needs: the database, settings, the catalogue and the mirror's state. */
import { createContext, useContext } from 'react';
import type { Role } from '../../shared/domain/accounts';
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
 * Who is signed in: every record made on a screen names `name` (经办人 / 检查人员) and every
 * data-layer call that needs a permission gets this actor (shared/domain/accounts.ts assertCan).
 */
export interface Actor {
  /** The account's login (the audit trail's actor). */
  login: string;
  /** 姓名, as printed on records. */
  name: string;
  role: Role;
  department: string;
  district: string;
}

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
