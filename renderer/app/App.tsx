import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Progress, Result, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { openDatabase, type HechataiDb } from '../db/database';
import { attachLookupService, mirrorChanged, type LookupService } from '../db/lookup-service';
import { allMatters, allMeasures, mirrorAsOf, mirrorSource, warmDelta } from '../db/mirror';
import { pendingOutboxCount } from '../db/local-records';
import { appendPendingAudits } from '../db/audit-log';
import { isMirrorEmpty, seedSample } from '../db/seed';
import { CheckPage } from '../features/check/CheckPage';
import { MeasuresPage } from '../features/measures/MeasuresPage';
import { CommitmentsPage } from '../features/commitments/CommitmentsPage';
import { HistoryPage } from '../features/history/HistoryPage';
import { ListsPage } from '../features/lists/ListsPage';
import { ImportPage } from '../features/import/ImportPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { SyncPage } from '../features/sync/SyncPage';
import { InspectPage } from '../features/inspect/InspectPage';
import { StatsPage } from '../features/stats/StatsPage';
import { useSyncStatus } from '../features/sync/useSyncStatus';
import { startSync } from '../sync/host';
import type { SyncHandle } from '../sync/store';
import { AppContext, useApp, type AppState, type MirrorInfo } from './AppContext';
import { StatusBar } from './StatusBar';
import { loadSettings, saveSettings, type Settings } from './settings';
import { requestPersistentStorage } from './storage';
import { useIdleLock } from './useIdleLock';
import type { Permission, SecurityConfig } from '../../shared/domain/accounts';
import { accountCount, endSignedIn, loadSecurity } from '../db/accounts';
import { sessionCan, type Session } from '../db/session';
import { FirstRunScreen, SignInScreen } from '../features/account/GateScreens';
import { AccountsPage } from '../features/account/AccountsPage';

dayjs.locale('zh-cn');

type Page = 'check' | 'history' | 'commitments' | 'inspect' | 'stats' | 'lists' | 'measures' | 'import' | 'sync' | 'accounts' | 'settings';

/** The screens, each shown to the roles holding its permission (none = every role). */
const PAGES: { key: Page; label: string; needs?: Permission }[] = [
  { key: 'check', label: '应查必查', needs: 'check.perform' },
  { key: 'history', label: '核查记录', needs: 'check.perform' },
  { key: 'commitments', label: '容缺承诺', needs: 'check.perform' },
  { key: 'inspect', label: '现场检查', needs: 'inspection.perform' },
  { key: 'stats', label: '统计', needs: 'stats.view' },
  { key: 'lists', label: '红黑名单' },
  { key: 'measures', label: '措施清单' },
  { key: 'import', label: '导入', needs: 'list.import' },
  { key: 'sync', label: '平台同步' },
  { key: 'accounts', label: '账号与审计', needs: 'account.manage' },
  { key: 'settings', label: '设置' },
];

function pagesFor(session: Session) {
  return PAGES.filter((p) => p.needs === undefined || sessionCan(session, p.needs));
}

type Boot =
  | { phase: 'opening' }
  | { phase: 'seeding'; done: number; total: number }
  | { phase: 'ready'; state: Omit<AppState, 'setSettings' | 'refreshMirror' | 'actor'>; accounts: number; security: SecurityConfig }
  | { phase: 'failed'; error: string };

const now = (): number => Date.now();

async function readMirror(db: HechataiDb): Promise<MirrorInfo> {
  const [asOf, source, pending] = await Promise.all([mirrorAsOf(db), mirrorSource(db), pendingOutboxCount(db)]);
  return { asOf, source, pending };
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'opening' });
  const [page, setPage] = useState<Page>('check');
  const [session, setSession] = useState<Session | null>(null);
  const [locked, setLocked] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let sync: SyncHandle | undefined;
    let lookups: LookupService | undefined;
    const db = openDatabase();
    (async () => {
      // Persistent storage: Chromium will not evict the mirror and the clerk's records.
      void requestPersistentStorage();
      // An import the app closed on before its audit entry was appended gets it now.
      await appendPendingAudits(db);
      if (await isMirrorEmpty(db)) {
        await seedSample(db, now(), (done, total) => {
          if (!cancelled) setBoot({ phase: 'seeding', done, total });
        });
      }
      const [settings, matters, measures, mirror, accounts, security] = await Promise.all([
        loadSettings(db),
        allMatters(db),
        allMeasures(db),
        readMirror(db),
        accountCount(db),
        loadSecurity(db),
      ]);
      if (cancelled) return;
      // Look-ups from the look-up file in a worker where the engine allows (lookup-service.ts).
      lookups = attachLookupService(db);
      sync = startSync({ db });
      setBoot({ phase: 'ready', state: { db, settings, matters, measures, mirror, now, sync }, accounts, security });
    })().catch((e: unknown) => {
      if (!cancelled) setBoot({ phase: 'failed', error: e instanceof Error ? e.message : String(e) });
    });
    return () => {
      cancelled = true;
      void sync?.dispose();
      lookups?.close();
      db.close();
    };
  }, []);

  const setSettings = useCallback(async (s: Settings) => {
    if (boot.phase !== 'ready' || !session) return;
    await saveSettings(boot.state.db, session, boot.state.settings, s, now());
    setBoot({ ...boot, state: { ...boot.state, settings: s } });
  }, [boot, session]);

  // A ref as well as state: two lock requests in one tick must end the session once.
  const lockedRef = useRef(false);
  const lock = useCallback((idle: boolean) => {
    if (boot.phase !== 'ready' || !session || lockedRef.current) return;
    lockedRef.current = true;
    setLocked(true);
    void endSignedIn(boot.state.db, session, 'lock', now(), idle ? boot.security.idleLockMinutes : undefined);
  }, [boot, session]);

  const signOut = useCallback(() => {
    if (boot.phase === 'ready' && session && !lockedRef.current) void endSignedIn(boot.state.db, session, 'sign-out', now());
    lockedRef.current = false;
    setSession(null);
    setLocked(false);
    setPage('check');
  }, [boot, session]);

  const signedIn = useCallback((s: Session) => {
    lockedRef.current = false;
    setSession(s);
    setLocked(false);
    setBoot((b) => (b.phase === 'ready' ? { ...b, accounts: Math.max(b.accounts, 1) } : b));
    setPage((p) => (pagesFor(s).some((x) => x.key === p) ? p : (pagesFor(s)[0]?.key ?? 'settings')));
  }, []);

  // Security settings changed on the accounts screen: the idle limit applies at once.
  const reloadSecurity = useCallback(async () => {
    if (boot.phase !== 'ready') return;
    const security = await loadSecurity(boot.state.db);
    setBoot((b) => (b.phase === 'ready' ? { ...b, security } : b));
  }, [boot]);

  useIdleLock(boot.phase === 'ready' && session !== null && !locked, boot.phase === 'ready' ? boot.security.idleLockMinutes : 10, now, () => lock(true));

  // After a save, a sync or an import: the mirror's state and the catalogue may have changed.
  const refreshMirror = useCallback(async () => {
    if (boot.phase !== 'ready') return;
    const { db } = boot.state;
    const [mirror, matters, measures] = await Promise.all([readMirror(db), allMatters(db), allMeasures(db)]);
    setBoot((b) => (b.phase === 'ready' ? { ...b, state: { ...b.state, mirror, matters, measures } } : b));
    mirrorChanged(db);
    // The next look-up must not stop the counter to replay what a sync or an import added to the delta.
    void warmDelta(db).catch((e: unknown) => console.warn('名单增量预读失败：', e));
  }, [boot]);

  const fontSize = boot.phase === 'ready' ? boot.state.settings.fontSize : 16;
  // Secondary and placeholder text darker than antd's defaults (~3.4:1): at least 4.5:1 on white.
  const theme = useMemo(
    () => ({
      token: {
        fontSize,
        colorPrimary: '#1d4f91',
        colorTextSecondary: 'rgba(0, 0, 0, 0.66)',
        colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
        colorTextDescription: 'rgba(0, 0, 0, 0.66)',
        colorTextPlaceholder: 'rgba(0, 0, 0, 0.58)',
      },
    }),
    [fontSize],
  );

  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        {boot.phase === 'ready' && session === null && boot.accounts === 0 && (
          <FirstRunScreen db={boot.state.db} now={now} district={boot.state.settings.district} onDone={signedIn} />
        )}
        {boot.phase === 'ready' && session === null && boot.accounts > 0 && <SignInScreen db={boot.state.db} now={now} onDone={signedIn} />}
        {boot.phase === 'ready' && session !== null ? (
          <AppContext.Provider value={{ ...boot.state, setSettings, refreshMirror, actor: session }}>
            <SyncRefresh />
            <div inert={locked} aria-hidden={locked}>
              <Shell page={page} setPage={setPage} session={session} sync={boot.state.sync} onLock={() => lock(false)} onSignOut={signOut} onSecurityChanged={reloadSecurity} />
            </div>
            {locked && (
              <div className="lock-layer">
                <SignInScreen
                  db={boot.state.db}
                  now={now}
                  fixedLogin={session.login}
                  title="已锁定"
                  note={`${session.name}（${session.role}）的工作已锁定，输入密码或 PIN 继续；画面上的内容已保留。`}
                  onDone={signedIn}
                  onSwitchUser={signOut}
                />
              </div>
            )}
          </AppContext.Provider>
        ) : boot.phase !== 'ready' ? (
          <BootScreen boot={boot} />
        ) : null}
      </AntApp>
    </ConfigProvider>
  );
}

function BootScreen({ boot }: { boot: Exclude<Boot, { phase: 'ready' }> }) {
  if (boot.phase === 'failed') {
    return <Result status="error" title="无法打开本地数据库" subTitle={boot.error} />;
  }
  if (boot.phase === 'seeding') {
    return (
      <div className="boot" data-testid="boot-seeding">
        <Typography.Title level={4}>首次启动：正在载入示例数据</Typography.Title>
        <Progress percent={Math.round((boot.done / boot.total) * 100)} />
        <Typography.Text type="secondary">
          已载入 {boot.done.toLocaleString('zh-CN')} / {boot.total.toLocaleString('zh-CN')} 条名单记录
        </Typography.Text>
      </div>
    );
  }
  return (
    <div className="boot">
      <Spin size="large" tip="正在打开本地数据库…">
        <div style={{ width: 200, height: 80 }} />
      </Spin>
    </div>
  );
}

function Shell({
  page,
  setPage,
  session,
  sync,
  onLock,
  onSignOut,
  onSecurityChanged,
}: {
  page: Page;
  setPage: (p: Page) => void;
  session: Session;
  sync: SyncHandle;
  onLock: () => void;
  onSignOut: () => void;
  onSecurityChanged: () => Promise<void>;
}) {
  const pages = useMemo(() => pagesFor(session), [session]);
  // Alt+1…Alt+9, Alt+0 switch screens without the mouse; Ctrl+Shift+L locks.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        onLock();
        return;
      }
      if (!e.altKey || e.ctrlKey || e.metaKey || !/^[0-9]$/.test(e.key)) return;
      const target = pages[e.key === '0' ? 9 : Number(e.key) - 1];
      if (target) {
        e.preventDefault();
        setPage(target.key);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [setPage, pages, onLock]);
  const shown = pages.some((p) => p.key === page) ? page : (pages[0]?.key ?? 'settings');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <span className="app-title" data-testid="app-title">信用核查台</span>
        <span style={{ flex: 1 }} />
        <span className="app-user" data-testid="app-user">
          {session.name}（{session.role}）
          <Button size="small" onClick={onLock} title="锁定（Ctrl+Shift+L）" data-testid="lock-button">
            锁定
          </Button>
          <Button size="small" onClick={onSignOut} data-testid="sign-out">
            退出
          </Button>
        </span>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={148} theme="light" className="app-sider">
          <Menu
            mode="inline"
            selectedKeys={[shown]}
            items={pages.map((p, i) => ({
              key: p.key,
              label: p.label,
              title: `${p.label}（Alt+${(i + 1) % 10}）`,
              'data-testid': `nav-${p.key}`,
            }))}
            onClick={(e) => setPage(e.key as Page)}
          />
        </Layout.Sider>
        <Layout>
          <StatusBar onSync={() => setPage('sync')} />
          <Layout.Content className="app-content">
            {shown === 'check' && <CheckPage />}
            {shown === 'history' && <HistoryPage />}
            {shown === 'commitments' && <CommitmentsPage />}
            {shown === 'inspect' && <InspectPage />}
            {shown === 'stats' && <StatsPage />}
            {shown === 'lists' && <ListsPage />}
            {shown === 'measures' && <MeasuresPage />}
            {shown === 'import' && <ImportPage actor={session} />}
            {shown === 'sync' && <SyncPage sync={sync} />}
            {shown === 'accounts' && <AccountsPage onSecurityChanged={onSecurityChanged} />}
            {shown === 'settings' && <SettingsPage />}
          </Layout.Content>
        </Layout>
      </Layout>
    </Layout>
  );
}

/** What the sync changed (mirror, catalogue, outbox) shows on every screen at once. */
function SyncRefresh() {
  const { sync, refreshMirror } = useApp();
  const { revision, pending } = useSyncStatus(sync);
  const seen = useRef({ revision, pending });
  useEffect(() => {
    if (seen.current.revision === revision && seen.current.pending === pending) return;
    seen.current = { revision, pending };
    void refreshMirror();
  }, [revision, pending, refreshMirror]);
  return null;
}
