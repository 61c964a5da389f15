import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App as AntApp, ConfigProvider, Layout, Menu, Progress, Result, Spin, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { openDatabase, type HechataiDb } from '../db/database';
import { allMatters, allMeasures, mirrorAsOf, mirrorSource } from '../db/mirror';
import { pendingOutboxCount } from '../db/local-records';
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
import { AppContext, useApp, type Actor, type AppState, type MirrorInfo } from './AppContext';
import { StatusBar } from './StatusBar';
import { loadSettings, saveSettings, type Settings } from './settings';
import { requestPersistentStorage } from './storage';

dayjs.locale('zh-cn');

type Page = 'check' | 'history' | 'commitments' | 'inspect' | 'stats' | 'lists' | 'measures' | 'import' | 'sync' | 'settings';

const PAGES: { key: Page; label: string }[] = [
  { key: 'check', label: '应查必查' },
  { key: 'history', label: '核查记录' },
  { key: 'commitments', label: '容缺承诺' },
  { key: 'inspect', label: '现场检查' },
  { key: 'stats', label: '统计' },
  { key: 'lists', label: '红黑名单' },
  { key: 'measures', label: '措施清单' },
  { key: 'import', label: '导入' },
  { key: 'sync', label: '平台同步' },
  { key: 'settings', label: '设置' },
];

type Boot =
  | { phase: 'opening' }
  | { phase: 'seeding'; done: number; total: number }
  | { phase: 'ready'; state: Omit<AppState, 'setSettings' | 'refreshMirror' | 'actor'> }
  | { phase: 'failed'; error: string };

const now = (): number => Date.now();

async function readMirror(db: HechataiDb): Promise<MirrorInfo> {
  const [asOf, source, pending] = await Promise.all([mirrorAsOf(db), mirrorSource(db), pendingOutboxCount(db)]);
  return { asOf, source, pending };
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'opening' });
  const [page, setPage] = useState<Page>('check');

  useEffect(() => {
    let cancelled = false;
    let sync: SyncHandle | undefined;
    const db = openDatabase();
    (async () => {
      // Persistent storage: Chromium will not evict the mirror and the clerk's records.
      void requestPersistentStorage();
      if (await isMirrorEmpty(db)) {
        await seedSample(db, now(), (done, total) => {
          if (!cancelled) setBoot({ phase: 'seeding', done, total });
        });
      }
      const [settings, matters, measures, mirror] = await Promise.all([
        loadSettings(db),
        allMatters(db),
        allMeasures(db),
        readMirror(db),
      ]);
      if (cancelled) return;
      sync = startSync({ db });
      setBoot({ phase: 'ready', state: { db, settings, matters, measures, mirror, now, sync } });
    })().catch((e: unknown) => {
      if (!cancelled) setBoot({ phase: 'failed', error: e instanceof Error ? e.message : String(e) });
    });
    return () => {
      cancelled = true;
      void sync?.dispose();
      db.close();
    };
  }, []);

  const setSettings = useCallback(async (s: Settings) => {
    if (boot.phase !== 'ready') return;
    await saveSettings(boot.state.db, s);
    setBoot({ phase: 'ready', state: { ...boot.state, settings: s } });
  }, [boot]);

  // After a save, a sync or an import: the mirror's state and the catalogue may have changed.
  const refreshMirror = useCallback(async () => {
    if (boot.phase !== 'ready') return;
    const { db } = boot.state;
    const [mirror, matters, measures] = await Promise.all([readMirror(db), allMatters(db), allMeasures(db)]);
    setBoot((b) => (b.phase === 'ready' ? { phase: 'ready', state: { ...b.state, mirror, matters, measures } } : b));
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
        {boot.phase === 'ready' ? (
          <AppContext.Provider value={{ ...boot.state, setSettings, refreshMirror, actor: workstationActor(boot.state.settings) }}>
            <SyncRefresh />
            <Shell page={page} setPage={setPage} settings={boot.state.settings} sync={boot.state.sync} />
          </AppContext.Provider>
        ) : (
          <BootScreen boot={boot} />
        )}
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

/**
 * Until clerk accounts exist (issue: accounts, roles, audit), the one person at this
 * workstation administers it. The data layer already checks the role it is given.
 */
function workstationActor(settings: Settings): Actor {
  return { login: settings.clerk, name: settings.clerk, role: '管理员', department: '', district: settings.district };
}

function Shell({ page, setPage, settings, sync }: { page: Page; setPage: (p: Page) => void; settings: Settings; sync: SyncHandle }) {
  // Alt+1…Alt+n switch screens without the mouse.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const target = PAGES[Number(e.key) - 1];
      if (target) {
        e.preventDefault();
        setPage(target.key);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [setPage]);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="app-header">
        <span className="app-title" data-testid="app-title">信用核查台</span>
        <Menu
          theme="dark"
          mode="horizontal"
          selectedKeys={[page]}
          items={PAGES.map((p, i) => ({ key: p.key, label: p.label, title: `${p.label}（Alt+${i + 1}）`, 'data-testid': `nav-${p.key}` }))}
          onClick={(e) => setPage(e.key as Page)}
          style={{ flex: 1, minWidth: 0 }}
        />
      </Layout.Header>
      <StatusBar onSync={() => setPage('sync')} />
      <Layout.Content className="app-content">
        {page === 'check' && <CheckPage />}
        {page === 'history' && <HistoryPage />}
        {page === 'commitments' && <CommitmentsPage />}
        {page === 'inspect' && <InspectPage />}
        {page === 'stats' && <StatsPage />}
        {page === 'lists' && <ListsPage />}
        {page === 'measures' && <MeasuresPage />}
        {page === 'import' && <ImportPage actor={workstationActor(settings)} />}
        {page === 'sync' && <SyncPage sync={sync} />}
        {page === 'settings' && <SettingsPage />}
      </Layout.Content>
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
